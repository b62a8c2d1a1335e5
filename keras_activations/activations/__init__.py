"""Stateless activation functions, each registered under its own name:
piecewise-linear ones (`piecewise_linear.py`) and smooth ones (`smooth.py`).
"""

from keras_activations.activations.piecewise_linear import binary_step
from keras_activations.activations.piecewise_linear import binary_step_ste
from keras_activations.activations.piecewise_linear import leaky_relu_plus
from keras_activations.activations.piecewise_linear import squared_relu
from keras_activations.activations.smooth import bent_identity
from keras_activations.activations.smooth import gelu_tanh
from keras_activations.activations.smooth import lisht
from keras_activations.activations.smooth import snake
from keras_activations.activations.smooth import softmin
from keras_activations.activations.smooth import tanh_exp
