//! Little-endian field readers and writers over byte slices; they never panic.

use crate::error::{EncodeError, ParseError};

/// Reads fields from a body, front to back.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    pub(crate) fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], ParseError> {
        if self.bytes.len() < n {
            return Err(ParseError::Truncated { field });
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], ParseError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, field)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self, field: &'static str) -> Result<u8, ParseError> {
        Ok(self.array::<1>(field)?[0])
    }

    pub(crate) fn u32(&mut self, field: &'static str) -> Result<u32, ParseError> {
        Ok(u32::from_le_bytes(self.array(field)?))
    }

    pub(crate) fn u64(&mut self, field: &'static str) -> Result<u64, ParseError> {
        Ok(u64::from_le_bytes(self.array(field)?))
    }

    pub(crate) fn f32(&mut self, field: &'static str) -> Result<f32, ParseError> {
        Ok(f32::from_le_bytes(self.array(field)?))
    }

    /// A `str`: u8 length, then UTF-8 bytes (at most `max`).
    pub(crate) fn str(&mut self, field: &'static str, max: usize) -> Result<&'a str, ParseError> {
        let len = usize::from(self.u8(field)?);
        if len > max {
            return Err(ParseError::BadValue {
                field,
                value: len as u32,
            });
        }
        core::str::from_utf8(self.take(len, field)?).map_err(|_| ParseError::BadValue {
            field,
            value: len as u32,
        })
    }

    /// Succeeds only if every byte was read.
    pub(crate) fn finish(self) -> Result<(), ParseError> {
        match self.bytes.len() {
            0 => Ok(()),
            count => Err(ParseError::TrailingBytes { count }),
        }
    }
}

/// Writes fields into a body buffer.
pub(crate) struct Writer<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(buf: &'a mut [u8]) -> Self {
        Self { buf, len: 0 }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) -> Result<(), EncodeError> {
        let end = self.len + b.len();
        let dst = self
            .buf
            .get_mut(self.len..end)
            .ok_or(EncodeError::BodyTooLong)?;
        dst.copy_from_slice(b);
        self.len = end;
        Ok(())
    }

    pub(crate) fn u8(&mut self, v: u8) -> Result<(), EncodeError> {
        self.bytes(&[v])
    }

    pub(crate) fn u32(&mut self, v: u32) -> Result<(), EncodeError> {
        self.bytes(&v.to_le_bytes())
    }

    pub(crate) fn u64(&mut self, v: u64) -> Result<(), EncodeError> {
        self.bytes(&v.to_le_bytes())
    }

    pub(crate) fn f32(&mut self, v: f32) -> Result<(), EncodeError> {
        self.bytes(&v.to_le_bytes())
    }

    pub(crate) fn str(
        &mut self,
        s: &str,
        field: &'static str,
        max: usize,
    ) -> Result<(), EncodeError> {
        let len = u8::try_from(s.len()).map_err(|_| EncodeError::StringTooLong { field })?;
        if s.len() > max {
            return Err(EncodeError::StringTooLong { field });
        }
        self.u8(len)?;
        self.bytes(s.as_bytes())
    }
}
