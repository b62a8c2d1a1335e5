// Fused CPU kernels: one pass over memory each way for the activations whose
// TensorFlow graphs take several (see keras_activations/fused_kernels.py).
// Each kernel computes what the keras.ops form computes, element for element;
// only reductions may sum in another order (the PReLU slope gradient, see
// kRowsPerBlock; float64 softmin, against TensorFlow's float64 reductions).

#define EIGEN_USE_THREADS

#include <algorithm>
#include <vector>

#include "tensorflow/core/framework/op.h"
#include "tensorflow/core/framework/op_kernel.h"
#include "tensorflow/core/framework/shape_inference.h"
#include "tensorflow/core/platform/threadpool.h"

namespace keras_activations {

using ::tensorflow::DEVICE_CPU;
using ::tensorflow::OpKernel;
using ::tensorflow::OpKernelConstruction;
using ::tensorflow::OpKernelContext;
using ::tensorflow::Tensor;
using ::tensorflow::TensorShape;
using ::tensorflow::shape_inference::InferenceContext;

// Gradient sums are taken over blocks of this many rows, in the input's
// dtype, and then over the blocks in double, in a fixed order whatever the
// number of threads.
constexpr int64_t kRowsPerBlock = 256;
// Rough cycles per element, for the thread pool's sharding.
constexpr int64_t kCostPerElement = 4;
constexpr int64_t kCostPerTranscendental = 40;

absl::Status SameShapeAsInput(InferenceContext* c, int input) {
  c->set_output(0, c->input(input));
  return absl::OkStatus();
}

REGISTER_OP("KerasActivationsPrelu")
    .Input("x: T")
    .Input("alpha: T")
    .Output("y: T")
    .Attr("T: {float, double}")
    .SetShapeFn([](InferenceContext* c) { return SameShapeAsInput(c, 0); })
    .Doc("x * (x > 0 ? 1 : alpha), alpha broadcast along the trailing axes of x.");

REGISTER_OP("KerasActivationsPreluGrad")
    .Input("upstream: T")
    .Input("x: T")
    .Input("alpha: T")
    .Output("x_gradient: T")
    .Output("alpha_gradient: T")
    .Attr("T: {float, double}")
    .SetShapeFn([](InferenceContext* c) {
      c->set_output(0, c->input(1));
      c->set_output(1, c->input(2));
      return absl::OkStatus();
    })
    .Doc("upstream * slope, and the sum of min(x, 0) * upstream over the rows.");

REGISTER_OP("KerasActivationsStep")
    .Input("x: T")
    .Output("y: T")
    .Attr("T: {float, double}")
    .SetShapeFn([](InferenceContext* c) { return SameShapeAsInput(c, 0); })
    .Doc("1 where x > 0, 0 where x <= 0, NaN where x is NaN.");

REGISTER_OP("KerasActivationsStraightThroughGrad")
    .Input("upstream: T")
    .Input("x: T")
    .Output("x_gradient: T")
    .Attr("T: {float, double}")
    .SetShapeFn([](InferenceContext* c) { return SameShapeAsInput(c, 1); })
    .Doc("upstream * (|x| <= 1 ? 1 : 0).");

REGISTER_OP("KerasActivationsGeluTanh")
    .Input("x: T")
    .Output("y: T")
    .Output("sigmoid: double")
    .Attr("T: {float, double}")
    .SetShapeFn([](InferenceContext* c) {
      c->set_output(0, c->input(0));
      c->set_output(1, c->input(0));
      return absl::OkStatus();
    })
    .Doc("x sigmoid(2z), 2z = 2 sqrt(2/pi) (x + 0.044715 x^3), in double; and sigmoid(2z).");

REGISTER_OP("KerasActivationsGeluTanhGrad")
    .Input("upstream: T")
    .Input("x: T")
    .Input("sigmoid: double")
    .Output("x_gradient: T")
    .Attr("T: {float, double}")
    .SetShapeFn([](InferenceContext* c) { return SameShapeAsInput(c, 1); })
    .Doc("upstream * the slope of gelu_tanh, the slope in double rounded to T.");

REGISTER_OP("KerasActivationsSoftmin")
    .Input("x: T")
    .Output("y: T")
    .Attr("T: {float, double}")
    .SetShapeFn([](InferenceContext* c) { return SameShapeAsInput(c, 0); })
    .Doc("softmax(-x) over the last axis, in double, rounded once.");

REGISTER_OP("KerasActivationsSoftminGrad")
    .Input("upstream: T")
    .Input("y: T")
    .Output("x_gradient: T")
    .Attr("T: {float, double}")
    .SetShapeFn([](InferenceContext* c) { return SameShapeAsInput(c, 1); })
    .Doc("y * (sum(upstream * y) - upstream) over the last axis.");

tensorflow::thread::ThreadPool* Workers(OpKernelContext* context) {
  return context->device()->tensorflow_cpu_worker_threads()->workers;
}

// Calls body(begin, end) over [0, size) on the CPU worker threads.
template <typename Body>
void ParallelElements(OpKernelContext* context, int64_t size, const Body& body) {
  Workers(context)->ParallelFor(size, kCostPerElement, body);
}

bool CheckSameShape(OpKernelContext* context, const Tensor& a, const Tensor& b) {
  if (a.shape() == b.shape()) return true;
  context->SetStatus(absl::InvalidArgumentError("Inputs must have the same shape, got " +
                                                a.shape().DebugString() + " and " +
                                                b.shape().DebugString() + "."));
  return false;
}

bool CheckHasAxes(OpKernelContext* context, const Tensor& x) {
  if (x.dims() >= 1) return true;
  context->SetStatus(absl::InvalidArgumentError("softmin needs at least one axis, got a scalar."));
  return false;
}

// alpha's elements, in order, must be the trailing block of x's elements.
bool CheckTrailingBlock(OpKernelContext* context, const Tensor& x, const Tensor& alpha) {
  const int64_t block = alpha.NumElements();
  if (block > 0 && x.NumElements() % block == 0) return true;
  context->SetStatus(absl::InvalidArgumentError("alpha of shape " + alpha.shape().DebugString() +
                                                " does not tile x of shape " +
                                                x.shape().DebugString() + "."));
  return false;
}

template <typename T>
class PreluOp : public OpKernel {
 public:
  explicit PreluOp(OpKernelConstruction* context) : OpKernel(context) {}

  void Compute(OpKernelContext* context) override {
    const Tensor& x = context->input(0);
    const Tensor& alpha = context->input(1);
    if (!CheckTrailingBlock(context, x, alpha)) return;
    Tensor* y = nullptr;
    OP_REQUIRES_OK(context, context->allocate_output(0, x.shape(), &y));
    const int64_t channels = alpha.NumElements();
    const T* x_data = x.flat<T>().data();
    const T* alpha_data = alpha.flat<T>().data();
    T* y_data = y->flat<T>().data();
    Workers(context)->ParallelFor(
        x.NumElements() / channels, channels * kCostPerElement,
        [=](int64_t begin, int64_t end) {
          for (int64_t row = begin; row < end; ++row) {
            const T* __restrict__ xs = x_data + row * channels;
            const T* __restrict__ slopes = alpha_data;
            T* __restrict__ ys = y_data + row * channels;
            for (int64_t c = 0; c < channels; ++c) {
              // Both operands loaded before the select, which then vectorizes.
              const T value = xs[c], slope = slopes[c];
              ys[c] = value * (value > T(0) ? T(1) : slope);
            }
          }
        });
  }
};

template <typename T>
class PreluGradOp : public OpKernel {
 public:
  explicit PreluGradOp(OpKernelConstruction* context) : OpKernel(context) {}

  void Compute(OpKernelContext* context) override {
    const Tensor& upstream = context->input(0);
    const Tensor& x = context->input(1);
    const Tensor& alpha = context->input(2);
    if (!CheckSameShape(context, upstream, x) || !CheckTrailingBlock(context, x, alpha)) return;
    Tensor* x_gradient = nullptr;
    Tensor* alpha_gradient = nullptr;
    OP_REQUIRES_OK(context, context->allocate_output(0, x.shape(), &x_gradient));
    OP_REQUIRES_OK(context, context->allocate_output(1, alpha.shape(), &alpha_gradient));
    const int64_t channels = alpha.NumElements();
    const int64_t rows = x.NumElements() / channels;
    const int64_t blocks = (rows + kRowsPerBlock - 1) / kRowsPerBlock;
    Tensor partial_sums;
    OP_REQUIRES_OK(context, context->allocate_temp(tensorflow::DataTypeToEnum<T>::value,
                                                   TensorShape({std::max<int64_t>(blocks, 1), channels}),
                                                   &partial_sums));
    const T* upstream_data = upstream.flat<T>().data();
    const T* x_data = x.flat<T>().data();
    const T* alpha_data = alpha.flat<T>().data();
    T* x_gradient_data = x_gradient->flat<T>().data();
    T* partial_data = partial_sums.flat<T>().data();
    std::fill(partial_data, partial_data + partial_sums.NumElements(), T(0));
    Workers(context)->ParallelFor(
        blocks, kRowsPerBlock * channels * kCostPerElement, [=](int64_t begin, int64_t end) {
          for (int64_t block = begin; block < end; ++block) {
            T* __restrict__ sums = partial_data + block * channels;
            const int64_t last = std::min(rows, (block + 1) * kRowsPerBlock);
            for (int64_t row = block * kRowsPerBlock; row < last; ++row) {
              const T* __restrict__ xs = x_data + row * channels;
              const T* __restrict__ gs = upstream_data + row * channels;
              const T* __restrict__ slopes = alpha_data;
              T* __restrict__ dxs = x_gradient_data + row * channels;
              for (int64_t c = 0; c < channels; ++c) {
                const T value = xs[c], slope = slopes[c], upstream_value = gs[c];
                const bool positive = value > T(0);
                dxs[c] = upstream_value * (positive ? T(1) : slope);
                sums[c] += (positive ? T(0) : value) * upstream_value;
              }
            }
          }
        });
    T* alpha_gradient_data = alpha_gradient->flat<T>().data();
    for (int64_t c = 0; c < channels; ++c) {
      double total = 0.0;
      for (int64_t block = 0; block < blocks; ++block) total += partial_data[block * channels + c];
      alpha_gradient_data[c] = static_cast<T>(total);
    }
  }
};

template <typename T>
class StepOp : public OpKernel {
 public:
  explicit StepOp(OpKernelConstruction* context) : OpKernel(context) {}

  void Compute(OpKernelContext* context) override {
    const Tensor& x = context->input(0);
    Tensor* y = nullptr;
    OP_REQUIRES_OK(context, context->allocate_output(0, x.shape(), &y));
    const T* x_data = x.flat<T>().data();
    T* y_data = y->flat<T>().data();
    ParallelElements(context, x.NumElements(), [=](int64_t begin, int64_t end) {
      const T* __restrict__ xs = x_data;
      T* __restrict__ ys = y_data;
      for (int64_t i = begin; i < end; ++i) {
        const T value = xs[i];
        const T step = value > T(0) ? T(1) : T(0);
        ys[i] = value == value ? step : value;  // NaN passes through
      }
    });
  }
};

template <typename T>
class StraightThroughGradOp : public OpKernel {
 public:
  explicit StraightThroughGradOp(OpKernelConstruction* context) : OpKernel(context) {}

  void Compute(OpKernelContext* context) override {
    const Tensor& upstream = context->input(0);
    const Tensor& x = context->input(1);
    if (!CheckSameShape(context, upstream, x)) return;
    Tensor* x_gradient = nullptr;
    OP_REQUIRES_OK(context, context->allocate_output(0, x.shape(), &x_gradient));
    const T* upstream_data = upstream.flat<T>().data();
    const T* x_data = x.flat<T>().data();
    T* x_gradient_data = x_gradient->flat<T>().data();
    ParallelElements(context, x.NumElements(), [=](int64_t begin, int64_t end) {
      const T* __restrict__ gs = upstream_data;
      const T* __restrict__ xs = x_data;
      T* __restrict__ dxs = x_gradient_data;
      for (int64_t i = begin; i < end; ++i) {
        // A product, not a select, as in the keras.ops form: inf or NaN
        // upstream gives NaN outside the window.
        const T value = xs[i];
        dxs[i] = gs[i] * (value >= T(-1) && value <= T(1) ? T(1) : T(0));
      }
    });
  }
};

// gelu_tanh in double: the same scalar operations, in the same order, as
// activations._gelu_tanh_value and _gelu_tanh_slope traced in float64. The
// forward pass also returns the sigmoid, in double, for the backward pass,
// which is then arithmetic only (the keras.ops form keeps float64 tensors
// for its gradient too).
constexpr double kTwoScale = 2.0 * 0.7978845608028654;
constexpr double kTwoScaleCubic = 2.0 * 0.7978845608028654 * 0.044715;
constexpr double kSixScaleCubic = 6.0 * 0.7978845608028654 * 0.044715;
constexpr double kLargestSquare = 4096.0;
// Elements per block: each thread widens a block of x into a stack buffer of
// doubles (16 KiB) and evaluates Eigen expressions on it.
constexpr int64_t kGeluBlock = 2048;

using DoubleVector = Eigen::TensorMap<Eigen::Tensor<double, 1, Eigen::RowMajor>>;

// Calls body(x, first) for each block of x widened to double.
template <typename T, typename Body>
void ForEachWidenedBlock(OpKernelContext* context, const T* x_data, int64_t size, int64_t cost,
                         const Body& body) {
  Workers(context)->ParallelFor(
      (size + kGeluBlock - 1) / kGeluBlock, kGeluBlock * cost, [=](int64_t begin, int64_t end) {
        double buffer[kGeluBlock];
        for (int64_t block = begin; block < end; ++block) {
          const int64_t first = block * kGeluBlock;
          const int64_t count = std::min(kGeluBlock, size - first);
          for (int64_t i = 0; i < count; ++i) buffer[i] = static_cast<double>(x_data[first + i]);
          body(DoubleVector(buffer, count), first);
        }
      });
}

template <typename T>
class GeluTanhOp : public OpKernel {
 public:
  explicit GeluTanhOp(OpKernelConstruction* context) : OpKernel(context) {}

  void Compute(OpKernelContext* context) override {
    const Tensor& x_tensor = context->input(0);
    Tensor* y = nullptr;
    Tensor* sigmoid_tensor = nullptr;
    OP_REQUIRES_OK(context, context->allocate_output(0, x_tensor.shape(), &y));
    OP_REQUIRES_OK(context, context->allocate_output(1, x_tensor.shape(), &sigmoid_tensor));
    T* y_data = y->flat<T>().data();
    double* sigmoid_data = sigmoid_tensor->flat<double>().data();
    ForEachWidenedBlock(context, x_tensor.flat<T>().data(), x_tensor.NumElements(),
                        kCostPerTranscendental, [=](DoubleVector x, int64_t first) {
                          DoubleVector sigmoid(sigmoid_data + first, x.size());
                          sigmoid = (x * (x * x * kTwoScaleCubic + kTwoScale)).sigmoid();
                          for (int64_t i = 0; i < x.size(); ++i) {
                            y_data[first + i] = static_cast<T>(x.data()[i] * sigmoid.data()[i]);
                          }
                        });
  }
};

template <typename T>
class GeluTanhGradOp : public OpKernel {
 public:
  explicit GeluTanhGradOp(OpKernelConstruction* context) : OpKernel(context) {}

  void Compute(OpKernelContext* context) override {
    const Tensor& upstream = context->input(0);
    const Tensor& x_tensor = context->input(1);
    const Tensor& sigmoid_tensor = context->input(2);
    if (!CheckSameShape(context, upstream, x_tensor) ||
        !CheckSameShape(context, sigmoid_tensor, x_tensor)) {
      return;
    }
    Tensor* x_gradient = nullptr;
    OP_REQUIRES_OK(context, context->allocate_output(0, x_tensor.shape(), &x_gradient));
    const T* upstream_data = upstream.flat<T>().data();
    const double* sigmoid_data = sigmoid_tensor.flat<double>().data();
    T* x_gradient_data = x_gradient->flat<T>().data();
    ForEachWidenedBlock(
        context, x_tensor.flat<T>().data(), x_tensor.NumElements(), kCostPerElement,
        [=](DoubleVector x, int64_t first) {
          const Eigen::TensorMap<Eigen::Tensor<const double, 1, Eigen::RowMajor>> sigmoid(
              sigmoid_data + first, x.size());
          const auto argument_slope = (x * x).cwiseMin(kLargestSquare) * kSixScaleCubic + kTwoScale;
          // Elementwise, so evaluating in place is safe.
          x = sigmoid + x * sigmoid * (sigmoid.constant(1.0) - sigmoid) * argument_slope;
          for (int64_t i = 0; i < x.size(); ++i) {
            x_gradient_data[first + i] = upstream_data[first + i] * static_cast<T>(x.data()[i]);
          }
        });
  }
};

// softmin over the last axis, row by row, as TensorFlow's Softmax kernel
// computes softmax(-x) in float64 (Eigen's maximum, exp, sum and a product
// with the sum's inverse), without the float64 tensors between.
template <typename T>
class SoftminOp : public OpKernel {
 public:
  explicit SoftminOp(OpKernelConstruction* context) : OpKernel(context) {}

  void Compute(OpKernelContext* context) override {
    const Tensor& x = context->input(0);
    if (!CheckHasAxes(context, x)) return;
    Tensor* y = nullptr;
    OP_REQUIRES_OK(context, context->allocate_output(0, x.shape(), &y));
    if (x.NumElements() == 0) return;
    const int64_t width = x.dim_size(x.dims() - 1);
    const T* x_data = x.flat<T>().data();
    T* y_data = y->flat<T>().data();
    Workers(context)->ParallelFor(
        x.NumElements() / width, width * kCostPerTranscendental, [=](int64_t begin, int64_t end) {
          std::vector<double> buffer(width);
          DoubleVector row(buffer.data(), width);
          for (int64_t r = begin; r < end; ++r) {
            const T* xs = x_data + r * width;
            for (int64_t c = 0; c < width; ++c) buffer[c] = -static_cast<double>(xs[c]);
            const Eigen::Tensor<double, 0, Eigen::RowMajor> largest = row.maximum();
            row = (row - row.constant(largest())).exp();
            const Eigen::Tensor<double, 0, Eigen::RowMajor> total = row.sum();
            const double inverse = 1.0 / total();
            T* ys = y_data + r * width;
            for (int64_t c = 0; c < width; ++c) ys[c] = static_cast<T>(buffer[c] * inverse);
          }
        });
  }
};

template <typename T>
class SoftminGradOp : public OpKernel {
 public:
  explicit SoftminGradOp(OpKernelConstruction* context) : OpKernel(context) {}

  void Compute(OpKernelContext* context) override {
    const Tensor& upstream = context->input(0);
    const Tensor& y = context->input(1);
    if (!CheckSameShape(context, upstream, y) || !CheckHasAxes(context, y)) return;
    Tensor* x_gradient = nullptr;
    OP_REQUIRES_OK(context, context->allocate_output(0, y.shape(), &x_gradient));
    if (y.NumElements() == 0) return;
    const int64_t width = y.dim_size(y.dims() - 1);
    const T* upstream_data = upstream.flat<T>().data();
    const T* y_data = y.flat<T>().data();
    T* x_gradient_data = x_gradient->flat<T>().data();
    using ConstRow = Eigen::TensorMap<Eigen::Tensor<const T, 1, Eigen::RowMajor>>;
    using Row = Eigen::TensorMap<Eigen::Tensor<T, 1, Eigen::RowMajor>>;
    Workers(context)->ParallelFor(
        y.NumElements() / width, width * kCostPerElement * 2, [=](int64_t begin, int64_t end) {
          for (int64_t r = begin; r < end; ++r) {
            const ConstRow gs(upstream_data + r * width, width);
            const ConstRow ys(y_data + r * width, width);
            const Eigen::Tensor<T, 0, Eigen::RowMajor> dot = (gs * ys).sum();
            Row(x_gradient_data + r * width, width) = ys * (gs.constant(dot()) - gs);
          }
        });
  }
};

#define REGISTER_CPU_KERNELS(T)                                                              \
  REGISTER_KERNEL_BUILDER(                                                                   \
      Name("KerasActivationsPrelu").Device(DEVICE_CPU).TypeConstraint<T>("T"), PreluOp<T>);  \
  REGISTER_KERNEL_BUILDER(                                                                   \
      Name("KerasActivationsPreluGrad").Device(DEVICE_CPU).TypeConstraint<T>("T"),           \
      PreluGradOp<T>);                                                                       \
  REGISTER_KERNEL_BUILDER(                                                                   \
      Name("KerasActivationsStep").Device(DEVICE_CPU).TypeConstraint<T>("T"), StepOp<T>);    \
  REGISTER_KERNEL_BUILDER(                                                                   \
      Name("KerasActivationsStraightThroughGrad").Device(DEVICE_CPU).TypeConstraint<T>("T"), \
      StraightThroughGradOp<T>);                                                             \
  REGISTER_KERNEL_BUILDER(                                                                   \
      Name("KerasActivationsGeluTanh").Device(DEVICE_CPU).TypeConstraint<T>("T"),            \
      GeluTanhOp<T>);                                                                        \
  REGISTER_KERNEL_BUILDER(                                                                   \
      Name("KerasActivationsGeluTanhGrad").Device(DEVICE_CPU).TypeConstraint<T>("T"),        \
      GeluTanhGradOp<T>);                                                                    \
  REGISTER_KERNEL_BUILDER(                                                                   \
      Name("KerasActivationsSoftmin").Device(DEVICE_CPU).TypeConstraint<T>("T"), SoftminOp<T>); \
  REGISTER_KERNEL_BUILDER(                                                                   \
      Name("KerasActivationsSoftminGrad").Device(DEVICE_CPU).TypeConstraint<T>("T"),         \
      SoftminGradOp<T>);

REGISTER_CPU_KERNELS(float);
REGISTER_CPU_KERNELS(double);

}  // namespace keras_activations
