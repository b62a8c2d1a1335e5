"""Activation layers, one class per file: the learnable (stateful) ones, and
the configured forms of stateless functions that take arguments."""

from keras_activations.layers.aconc import ACONC
from keras_activations.layers.activation_mixture import ActivationMixture
from keras_activations.layers.adaptive_activation import AdaptiveActivation
from keras_activations.layers.apl import APL
from keras_activations.layers.compose import Compose
from keras_activations.layers.leaky_relu_plus import LeakyReLUPlus
from keras_activations.layers.maxout import Maxout
from keras_activations.layers.meta_acon import MetaACON
from keras_activations.layers.pau import PAU
from keras_activations.layers.pelu import PELU
from keras_activations.layers.prelu import PReLU
from keras_activations.layers.rrelu import RReLU
from keras_activations.layers.snake import Snake
from keras_activations.layers.softmin import Softmin
from keras_activations.layers.srelu import SReLU
from keras_activations.layers.swish_beta import SwishBeta
