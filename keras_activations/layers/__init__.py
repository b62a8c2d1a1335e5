"""Stateful (learnable) activation layers, one class per file."""

from keras_activations.layers.prelu import PReLU
