//! Text cells that spreadsheet programs will not run as formulas.

/// Returns `text` made safe for a spreadsheet cell: a value starting with `=`, `+`, `-`, `@`, a tab or
/// a carriage return would be run as a formula by Excel or WPS (`=HYPERLINK(…)`), so it gets a leading
/// apostrophe, which spreadsheet programs show as plain text.
pub fn neutralise_formula(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::neutralise_formula;

    #[test]
    fn formula_prefixes_become_text() {
        assert_eq!(
            neutralise_formula("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(neutralise_formula("+1"), "'+1");
        assert_eq!(neutralise_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise_formula("洪桥街道"), "洪桥街道");
        assert_eq!(neutralise_formula(""), "");
    }
}
