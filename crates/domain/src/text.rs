//! Validated free text typed by people: names and short labels.

use thiserror::Error;

/// Why a piece of typed text was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TextError {
    #[error("不能为空")]
    Empty,
    #[error("过长：最多 {max} 个字，实际 {actual} 个字")]
    TooLong { max: usize, actual: usize },
    #[error("含有不可见的控制字符")]
    ControlCharacter,
}

/// Control characters, and the Unicode non-characters (U+FDD0–U+FDEF, U+xFFFE, U+xFFFF) that XML and
/// so Word and Excel files cannot hold: nobody types them on purpose.
fn invisible(c: char) -> bool {
    let code = u32::from(c);
    c.is_control() || (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

/// Trims `raw` and checks it is a non-empty single line of at most `max` characters without control
/// characters. Returns the trimmed text.
pub fn single_line(raw: &str, max: usize) -> Result<String, TextError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(TextError::Empty);
    }
    if trimmed.chars().any(invisible) {
        return Err(TextError::ControlCharacter);
    }
    let actual = trimmed.chars().count();
    if actual > max {
        return Err(TextError::TooLong { max, actual });
    }
    Ok(trimmed.to_owned())
}

/// Trims `raw` and checks it is non-empty text of at most `max` characters, several lines allowed
/// (line breaks are kept as `\n`), without other control characters. Returns the trimmed text.
pub fn paragraphs(raw: &str, max: usize) -> Result<String, TextError> {
    let normalised = raw.replace("\r\n", "\n").replace('\r', "\n");
    let trimmed = normalised.trim();
    if trimmed.is_empty() {
        return Err(TextError::Empty);
    }
    if trimmed.chars().any(|c| invisible(c) && c != '\n') {
        return Err(TextError::ControlCharacter);
    }
    let actual = trimmed.chars().count();
    if actual > max {
        return Err(TextError::TooLong { max, actual });
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_keep_line_breaks_but_refuse_other_control_characters() {
        assert_eq!(paragraphs(" 第一段\r\n第二段 ", 20).unwrap(), "第一段\n第二段");
        assert_eq!(paragraphs("a\u{7}b", 20), Err(TextError::ControlCharacter));
        assert_eq!(paragraphs("\n\n", 20), Err(TextError::Empty));
        assert!(matches!(paragraphs("长长长", 2), Err(TextError::TooLong { .. })));
    }

    #[test]
    fn single_line_trims_and_counts_characters_not_bytes() {
        assert_eq!(single_line("  洪桥街道 ", 4).unwrap(), "洪桥街道");
        assert_eq!(
            single_line("洪桥街道社区", 4),
            Err(TextError::TooLong { max: 4, actual: 6 })
        );
    }

    #[test]
    fn single_line_refuses_blank_and_control_characters() {
        assert_eq!(single_line(" \t ", 10), Err(TextError::Empty));
        assert_eq!(single_line("a\nb", 10), Err(TextError::ControlCharacter));
        assert_eq!(single_line("a\u{0}b", 10), Err(TextError::ControlCharacter));
        assert_eq!(single_line("a\u{FFFE}b", 10), Err(TextError::ControlCharacter));
        assert_eq!(paragraphs("a\u{FDD0}b", 10), Err(TextError::ControlCharacter));
        assert_eq!(single_line("a\u{1FFFF}b", 10), Err(TextError::ControlCharacter));
    }
}
