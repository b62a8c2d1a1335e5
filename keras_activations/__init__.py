"""Accurate, serializable activation functions and layers for Keras 3.

Importing the package registers every activation and opens Keras' activation
strings to them: `keras.layers.Dense(64, activation="leaky_relu_plus")`.
"""

from keras_activations import activations
from keras_activations import registry
from keras_activations import onnx
from keras_activations import tflite
from keras_activations.activations import binary_step
from keras_activations.activations import binary_step_ste
from keras_activations.activations import bent_identity
from keras_activations.activations import gelu_tanh
from keras_activations.activations import leaky_relu_plus
from keras_activations.activations import lisht
from keras_activations.activations import snake
from keras_activations.activations import softmin
from keras_activations.activations import squared_relu
from keras_activations.activations import tanh_exp
from keras_activations.callbacks import DeadUnitMonitor
from keras_activations.callbacks import GradientFlowMonitor
from keras_activations.constraints import AtLeast
from keras_activations.initializers import Coefficients
from keras_activations.initializers import EvenlySpaced
from keras_activations.layers import ACONC
from keras_activations.layers import APL
from keras_activations.layers import ActivationMixture
from keras_activations.layers import AdaptiveActivation
from keras_activations.layers import Compose
from keras_activations.layers import LeakyReLUPlus
from keras_activations.layers import Maxout
from keras_activations.layers import MetaACON
from keras_activations.layers import PAU
from keras_activations.layers import PELU
from keras_activations.layers import PReLU
from keras_activations.layers import RReLU
from keras_activations.layers import Snake
from keras_activations.layers import Softmin
from keras_activations.layers import SReLU
from keras_activations.layers import SwishBeta
from keras_activations.model_editing import replace_activations
from keras_activations.precision import get_working_precision
from keras_activations.precision import set_working_precision
from keras_activations.precision import working_precision
from keras_activations.registry import derivative
from keras_activations.registry import describe
from keras_activations.registry import get
from keras_activations.registry import names
from keras_activations.registry import register
from keras_activations.registry import register_activation
from keras_activations.version import __version__

registry.install_keras_hook()
