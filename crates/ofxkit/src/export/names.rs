//! Account and commodity names every accounting tool accepts.

/// `id` as one component of an account name: letters, digits and `-` kept, any other
/// character (blanks, `*`, `:`, `/`, …) written `-`; a component that does not start with an
/// ASCII capital letter or a digit gets `X` in front (beancount's rule); an empty one is
/// `Unknown`. The same text gives the same name in beancount, ledger and hledger.
///
/// ```
/// use ofxkit::export::account_component;
/// assert_eq!(account_component("123456789"), "123456789");
/// assert_eq!(account_component("****1234"), "X----1234");
/// assert_eq!(account_component("DE42 1234"), "DE42-1234");
/// assert_eq!(account_component("abc"), "Xabc");
/// assert_eq!(account_component(""), "Unknown");
/// ```
pub fn account_component(id: &str) -> String {
    let mut out: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || (!c.is_ascii() && c.is_alphanumeric()) {
                c
            } else {
                '-'
            }
        })
        .collect();
    if out.is_empty() {
        return "Unknown".to_owned();
    }
    if !out.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit()) {
        out.insert(0, 'X');
    }
    out
}

/// A commodity symbol beancount accepts (`[A-Z][A-Z0-9'._-]{0,22}[A-Z0-9]`) from a ticker,
/// a security id or a currency code: upper-cased, other characters written `-`, `X` put in
/// front when it does not start with a letter and after when it does not end with a letter
/// or digit, cut to 24 characters. ledger and hledger get the same symbol (quoted where
/// they need it).
///
/// ```
/// use ofxkit::export::commodity_symbol;
/// assert_eq!(commodity_symbol("VTI"), "VTI");
/// assert_eq!(commodity_symbol("brk.b"), "BRK.B");
/// assert_eq!(commodity_symbol("922908769"), "X922908769");
/// assert_eq!(commodity_symbol("A"), "AX");
/// assert_eq!(commodity_symbol(""), "XX");
/// ```
pub fn commodity_symbol(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| c.to_ascii_uppercase())
        .map(|c| {
            if c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '\'' | '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_uppercase()) {
        out.insert(0, 'X');
    }
    out.truncate(23);
    if out.len() < 2 || !out.ends_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit()) {
        out.push('X');
    }
    out
}

/// The commodity a security is held as, in `convert` and `ledger export` alike: the symbol
/// ([`commodity_symbol`]) of its ticker when a `SECLIST` gave one, else of its `UNIQUEID`,
/// else `UNKNOWN`.
///
/// ```
/// use ofxkit::export::security_symbol;
/// assert_eq!(security_symbol(Some("vti"), Some("922908769")), "VTI");
/// assert_eq!(security_symbol(None, Some("922908769")), "X922908769");
/// assert_eq!(security_symbol(Some(""), None), "UNKNOWN");
/// ```
pub fn security_symbol(ticker: Option<&str>, unique_id: Option<&str>) -> String {
    let given = |t: &&str| !t.trim().is_empty();
    commodity_symbol(ticker.filter(given).or(unique_id.filter(given)).unwrap_or("UNKNOWN"))
}

/// True when `name` is an account name beancount accepts: a root among `Assets`,
/// `Liabilities`, `Equity`, `Income` and `Expenses`, then one or more components that start
/// with a capital letter or a digit and hold letters, digits and `-`.
pub fn is_beancount_account(name: &str) -> bool {
    let mut parts = name.split(':');
    let root = parts.next().unwrap_or("");
    if !matches!(root, "Assets" | "Liabilities" | "Equity" | "Income" | "Expenses") {
        return false;
    }
    let mut n = 0;
    for part in parts {
        n += 1;
        let mut chars = part.chars();
        let first_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || !c.is_ascii());
        if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || !c.is_ascii()) {
            return false;
        }
    }
    n > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names_are_checked_as_beancount_does() {
        for (name, ok) in [
            ("Assets:Bank:DE42", true),
            ("Liabilities:CreditCard:X----1234", true),
            ("Expenses:Uncategorized", true),
            ("Assets", false),
            ("Cash:Bank", false),
            ("Assets:bank", false),
            ("Assets:Bank Account", false),
            ("Assets::X", false),
            ("Income:Zürich", true),
        ] {
            assert_eq!(is_beancount_account(name), ok, "{name}");
        }
    }

    #[test]
    fn components_and_symbols_are_always_valid() {
        for id in
            ["", "a", "*", "12 34/5", "ÄÖ", "x:y", "--", "VERYLONGSYMBOLNAMETHATGOESON-AND-ON"]
        {
            assert!(is_beancount_account(&format!("Assets:{}", account_component(id))), "{id}");
            let s = commodity_symbol(id);
            assert!((2..=24).contains(&s.len()), "{id} {s}");
            assert!(s.starts_with(|c: char| c.is_ascii_uppercase()), "{s}");
            assert!(s.ends_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit()), "{s}");
        }
    }
}
