"""Fits the PAU initial coefficients to leaky ReLU (slope 0.01) on [-3, 3].

Prints the numerator (a_0..a_5) and denominator (b_1..b_4) coefficients that
keras_activations/layers/pau.py starts from; rerun to reproduce them.
"""

import numpy as np
from scipy.optimize import least_squares

X = np.linspace(-3.0, 3.0, 2001)
TARGET = np.where(X > 0, X, 0.01 * X)


def pau(params, x):
    a, b = params[:6], params[6:]
    numerator = sum(a[j] * x**j for j in range(6))
    denominator = 1.0 + sum(np.abs(b[k] * x ** (k + 1)) for k in range(4))
    return numerator / denominator


def main():
    start = np.array([0.03, 0.5, 1.0, 0.5, 0.05, 0.0, 0.0, 1.0, 0.0, 0.05])
    fit = least_squares(lambda p: pau(p, X) - TARGET, start, max_nfev=20000)
    a, b = fit.x[:6], fit.x[6:]
    print("numerator =", np.array2string(a, separator=", ", precision=8))
    print("denominator =", np.array2string(b, separator=", ", precision=8))
    print(f"max abs error on [-3, 3]: {np.max(np.abs(pau(fit.x, X) - TARGET)):.4f}")


if __name__ == "__main__":
    main()
