//! Sample types the filters accept: `f32` and `f64`, always processed in `f64`.

/// A sample value: filters read it as `f64`, compute in `f64` and write it back in its own type.
pub trait Sample: Copy {
    /// The value as `f64`.
    fn to_f64(self) -> f64;
    /// The nearest value of this type to `v`.
    fn from_f64(v: f64) -> Self;

    /// `data` itself when the type is `f64` (lets block kernels skip conversion), else `None`.
    #[inline(always)]
    fn as_f64_slice(data: &mut [Self]) -> Option<&mut [f64]> {
        let _ = data;
        None
    }

    /// `data` itself when the type is `f64` (read-only twin of [`Sample::as_f64_slice`]), else `None`.
    #[inline(always)]
    fn as_f64_slice_ref(data: &[Self]) -> Option<&[f64]> {
        let _ = data;
        None
    }
}

impl Sample for f64 {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v
    }
    #[inline(always)]
    fn as_f64_slice(data: &mut [Self]) -> Option<&mut [f64]> {
        Some(data)
    }
    #[inline(always)]
    fn as_f64_slice_ref(data: &[Self]) -> Option<&[f64]> {
        Some(data)
    }
}

impl Sample for f32 {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v as f32
    }
}
