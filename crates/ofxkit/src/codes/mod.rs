//! Code tables.
