//! ISO 4217 currency codes.

/// The alphabetic codes of ISO 4217 in force (list one, including funds and precious-metal
/// codes), sorted. Withdrawn codes that an OFX profile still lists (DEM, FRF, …) are
/// accepted through the profile's own enumeration instead.
pub static ISO_4217: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP",
    "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
    "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS",
    "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW",
    "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD",
    "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN",
    "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR",
    "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL",
    "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
    "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES",
    "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR",
    "XOF", "XPD", "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
];

/// Is `code` an ISO 4217 alphabetic code in force (exact, upper case)?
///
/// ```
/// assert!(ofxkit::validate::is_iso4217("EUR"));
/// assert!(ofxkit::validate::is_iso4217("BRL"));
/// assert!(!ofxkit::validate::is_iso4217("eur"));
/// assert!(!ofxkit::validate::is_iso4217("R$"));
/// ```
pub fn is_iso4217(code: &str) -> bool {
    ISO_4217.binary_search(&code).is_ok()
}

/// The ISO 4217 codes (list one) whose minor unit is not 2, with it, sorted; the funds and
/// precious-metal codes ISO gives no minor unit ("N.A.") are in [`NO_MINOR_UNIT`].
static MINOR_UNITS_NOT_2: &[(&str, u32)] = &[
    ("BHD", 3),
    ("BIF", 0),
    ("CLF", 4),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("IQD", 3),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("PYG", 0),
    ("RWF", 0),
    ("TND", 3),
    ("UGX", 0),
    ("UYI", 0),
    ("UYW", 4),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
];

/// The ISO 4217 codes with no minor unit ("N.A." in list one: precious metals, units of
/// account, testing and "no currency"), sorted.
static NO_MINOR_UNIT: &[&str] =
    &["XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"];

/// The number of decimals of an ISO 4217 currency's minor unit (list one): 2 for most, 0 for
/// JPY or KRW, 3 for BHD or KWD, 4 for CLF. `None` for a code not in force (exact, upper
/// case) and for the codes ISO gives no minor unit (XAU, XDR, XXX, …).
///
/// ```
/// use ofxkit::validate::minor_units;
/// assert_eq!(minor_units("RON"), Some(2));
/// assert_eq!(minor_units("JPY"), Some(0));
/// assert_eq!(minor_units("BHD"), Some(3));
/// assert_eq!(minor_units("XAU"), None);
/// assert_eq!(minor_units("ron"), None);
/// ```
pub fn minor_units(code: &str) -> Option<u32> {
    if !is_iso4217(code) || NO_MINOR_UNIT.binary_search(&code).is_ok() {
        return None;
    }
    let exception = MINOR_UNITS_NOT_2.binary_search_by(|(c, _)| c.cmp(&code));
    Some(exception.ok().and_then(|i| MINOR_UNITS_NOT_2.get(i)).map_or(2, |&(_, units)| units))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known minor units (ISO 4217 list one), and the tables' own consistency.
    #[test]
    fn minor_units_of_known_currencies() {
        let known = [
            ("RON", Some(2)),
            ("EUR", Some(2)),
            ("USD", Some(2)),
            ("GBP", Some(2)),
            ("HUF", Some(2)),
            ("IDR", Some(2)),
            ("JPY", Some(0)),
            ("KRW", Some(0)),
            ("ISK", Some(0)),
            ("CLP", Some(0)),
            ("XOF", Some(0)),
            ("BHD", Some(3)),
            ("KWD", Some(3)),
            ("TND", Some(3)),
            ("CLF", Some(4)),
            ("UYW", Some(4)),
            ("XAU", None),
            ("XDR", None),
            ("XXX", None),
            ("DEM", None),
            ("eur", None),
            ("", None),
        ];
        for (code, units) in known {
            assert_eq!(minor_units(code), units, "{code}");
        }
        assert!(MINOR_UNITS_NOT_2.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(NO_MINOR_UNIT.windows(2).all(|w| w[0] < w[1]));
        assert!(MINOR_UNITS_NOT_2.iter().all(|(c, _)| is_iso4217(c)));
        assert!(NO_MINOR_UNIT.iter().all(|c| is_iso4217(c)));
        let with_units = ISO_4217.iter().filter(|c| minor_units(c).is_some()).count();
        assert_eq!(with_units, ISO_4217.len() - NO_MINOR_UNIT.len());
    }

    #[test]
    fn sorted_unique_three_letters() {
        assert!(ISO_4217.windows(2).all(|w| w[0] < w[1]));
        assert!(ISO_4217.iter().all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())));
        assert_eq!(ISO_4217.len(), 182);
    }
}
