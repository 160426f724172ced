#pragma once
/// \file
/// (internal) Value<T>: what evaluating an expression gives, a scalar, vector or matrix whose
/// elements are T (double or Var), or plain doubles that are never differentiated (data and
/// consts stay passive, so `X * w` with data X records one node per row, not one per entry).

#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "slope/lang/model.hpp"

namespace slope::lang::detail {

/// A scalar, vector or matrix of T, or of passive doubles. Views refer to storage that
/// outlives the evaluation (params, lets, data, consts), so reading a name copies nothing.
/// Move-only: a copy would be an accidental O(size) cost.
template <class T>
class Value {
 public:
  Value() = default;
  Value(Value&&) noexcept = default;
  Value& operator=(Value&&) noexcept = default;
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;

  /// A scalar.
  static Value scalar(T x) {
    Value v;
    v.storage_ = Storage::Scalar;
    v.scalar_ = std::move(x);
    return v;
  }
  /// Elements computed by the evaluation.
  static Value owned(Shape shape, std::vector<T> items) {
    Value v;
    v.shape_ = shape;
    v.storage_ = Storage::Owned;
    v.owned_ = std::move(items);
    return v;
  }
  /// A view of T elements stored elsewhere (a param, a let).
  static Value view(Shape shape, std::span<const T> items) {
    Value v;
    v.shape_ = shape;
    v.storage_ = Storage::View;
    v.view_ = items;
    return v;
  }
  /// A view of passive doubles stored elsewhere (data, consts).
  static Value passive(Shape shape, std::span<const double> values) {
    Value v;
    v.shape_ = shape;
    v.storage_ = Storage::Passive;
    v.passive_ = values;
    return v;
  }
  /// A view of passive doubles that live only as long as the evaluation (a let computed from
  /// data, `let r = -y`): read like a view, but not one for is_view(), so that nothing a
  /// slope::Function keeps (a matvec's matrix) points at them after the recording.
  static Value passive_scoped(Shape shape, std::span<const double> values) {
    Value v = passive(shape, values);
    v.storage_ = Storage::PassiveScoped;
    return v;
  }
  /// Passive doubles computed by the evaluation.
  static Value passive_owned(Shape shape, std::vector<double> values) {
    Value v;
    v.shape_ = shape;
    v.storage_ = Storage::PassiveOwned;
    v.passive_owned_ = std::move(values);
    return v;
  }

  [[nodiscard]] const Shape& shape() const noexcept { return shape_; }
  [[nodiscard]] std::size_t size() const noexcept { return shape_.size(); }
  /// True when the elements are plain doubles that carry no derivative.
  [[nodiscard]] bool is_passive() const noexcept {
    return storage_ == Storage::Passive || storage_ == Storage::PassiveScoped || storage_ == Storage::PassiveOwned;
  }
  /// True when the elements live outside this value and outlive the evaluation (a view of a
  /// param, a let's Vars, data or consts), so sub-spans of them stay valid after this value is
  /// gone and passive ones may be referenced by what the evaluation records.
  [[nodiscard]] bool is_view() const noexcept { return storage_ == Storage::View || storage_ == Storage::Passive; }
  /// Element i (row-major), as T.
  [[nodiscard]] T operator[](std::size_t i) const {
    switch (storage_) {
      case Storage::Scalar: return scalar_;
      case Storage::Owned: return owned_[i];
      case Storage::View: return view_[i];
      case Storage::Passive:
      case Storage::PassiveScoped: return T(passive_[i]);
      case Storage::PassiveOwned: return T(passive_owned_[i]);
    }
    return T(0.0);
  }
  /// The passive elements; only when is_passive().
  [[nodiscard]] std::span<const double> doubles() const noexcept {
    return storage_ == Storage::PassiveOwned ? std::span<const double>(passive_owned_) : passive_;
  }
  /// The T elements; only when !is_passive().
  [[nodiscard]] std::span<const T> items() const noexcept {
    switch (storage_) {
      case Storage::Scalar: return {&scalar_, 1};
      case Storage::Owned: return owned_;
      default: return view_;
    }
  }

 private:
  enum class Storage : unsigned char { Scalar, Owned, View, Passive, PassiveScoped, PassiveOwned };
  Shape shape_;
  Storage storage_ = Storage::Scalar;
  T scalar_{};
  std::vector<T> owned_;
  std::span<const T> view_;
  std::span<const double> passive_;
  std::vector<double> passive_owned_;
};

}  // namespace slope::lang::detail
