//! CRC-32C (Castagnoli), the frame check of the protocol.

use crc::{Crc, Table, CRC_32_ISCSI};

/// Slice-by-16 tables (16 KiB, built at compile time): several times faster than byte-wise.
const CRC32C: Crc<u32, Table<16>> = Crc::<u32, Table<16>>::new(&CRC_32_ISCSI);

/// CRC-32C of `bytes` (init and xorout 0xFFFFFFFF, reflected; check value 0xE3069283).
pub(crate) fn crc32c(bytes: &[u8]) -> u32 {
    CRC32C.checksum(bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn check_value() {
        assert_eq!(super::crc32c(b"123456789"), 0xE306_9283);
    }
}
