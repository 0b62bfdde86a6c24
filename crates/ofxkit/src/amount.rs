//! Amounts.
