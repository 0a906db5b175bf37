//! The one mapping between the wire protocol's units and the engine's.

use tonus_core::Unit;

/// The wire unit for an engine unit.
pub fn to_wire(unit: Unit) -> tonus_protocol::Unit {
    match unit {
        Unit::Microvolt => tonus_protocol::Unit::Microvolt,
        Unit::Millivolt => tonus_protocol::Unit::Millivolt,
        Unit::MmHg => tonus_protocol::Unit::MmHg,
        Unit::CmH2O => tonus_protocol::Unit::CmH2O,
        Unit::KPa => tonus_protocol::Unit::KPa,
    }
}

/// The engine unit for a wire unit; `None` for the wire's "other" (Tonus cannot analyse it).
pub fn from_wire(unit: tonus_protocol::Unit) -> Option<Unit> {
    Some(match unit {
        tonus_protocol::Unit::Microvolt => Unit::Microvolt,
        tonus_protocol::Unit::Millivolt => Unit::Millivolt,
        tonus_protocol::Unit::MmHg => Unit::MmHg,
        tonus_protocol::Unit::CmH2O => Unit::CmH2O,
        tonus_protocol::Unit::KPa => Unit::KPa,
        tonus_protocol::Unit::Other => return None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_unit_round_trips() {
        for u in tonus_core::Unit::ALL {
            assert_eq!(super::from_wire(super::to_wire(u)), Some(u));
        }
        assert_eq!(super::from_wire(tonus_protocol::Unit::Other), None);
    }
}
