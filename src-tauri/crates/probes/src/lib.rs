//! Probe engine: checklist items that verify themselves (skeleton; the engine follows).
