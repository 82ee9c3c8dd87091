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
    /// U+202E and the like reorder what is shown (a name that reads differently from what is stored).
    #[error("含有改变文字显示方向的控制字符，请直接输入文字")]
    DirectionControl,
    /// U+200B and the like: invisible, so two names that look the same would differ.
    #[error("含有看不见的零宽字符，请删除后重新输入")]
    ZeroWidth,
}

/// Control characters, and the Unicode non-characters (U+FDD0–U+FDEF, U+xFFFE, U+xFFFF) that XML and
/// so Word and Excel files cannot hold: nobody types them on purpose.
fn invisible(c: char) -> bool {
    let code = u32::from(c);
    c.is_control() || (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

/// Bidirectional formatting characters (LRE…RLO, LRI…PDI, the marks): they make text display other than
/// it reads, and Chinese text never needs them.
fn direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters that show nothing (zero-width space, joiners, word joiner, BOM, the soft hyphen, the
/// invisible operators) or look like a blank without being one (the Hangul fillers, Khmer's
/// inherent vowels): a name of them only is no name, and one inside a name is a spoofing difference.
fn zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
            | '\u{180E}'
            | '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{3164}'
            | '\u{FFA0}'
    )
}

/// The line and paragraph separators: a line break that is not a control character, so a "single
/// line" with one would show as two.
fn line_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

/// Blank once the invisible characters are left out (a value of only U+200B is no name at all).
pub fn blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || zero_width(c))
}

/// Trims `raw` and checks it is a non-empty single line of at most `max` characters without control
/// characters, direction controls or zero-width characters (names and short fields, where an
/// invisible difference is a spoofing one). Returns the trimmed text.
pub fn single_line(raw: &str, max: usize) -> Result<String, TextError> {
    let trimmed = raw.trim();
    if blank(trimmed) {
        return Err(TextError::Empty);
    }
    if trimmed.chars().any(|c| invisible(c) || line_separator(c)) {
        return Err(TextError::ControlCharacter);
    }
    if trimmed.chars().any(direction_control) {
        return Err(TextError::DirectionControl);
    }
    if trimmed.chars().any(zero_width) {
        return Err(TextError::ZeroWidth);
    }
    let actual = trimmed.chars().count();
    if actual > max {
        return Err(TextError::TooLong { max, actual });
    }
    Ok(trimmed.to_owned())
}

/// Trims `raw` and checks it is non-empty text of at most `max` characters, several lines allowed
/// (line breaks are kept as `\n`), without other control characters nor direction controls; joiners
/// inside longer text are kept (emoji sequences use them). Returns the trimmed text.
pub fn paragraphs(raw: &str, max: usize) -> Result<String, TextError> {
    let normalised = raw.replace("\r\n", "\n").replace('\r', "\n");
    let trimmed = normalised.trim();
    if blank(trimmed) {
        return Err(TextError::Empty);
    }
    if trimmed.chars().any(|c| invisible(c) && c != '\n') {
        return Err(TextError::ControlCharacter);
    }
    if trimmed.chars().any(direction_control) {
        return Err(TextError::DirectionControl);
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
    fn fillers_and_invisible_operators_are_no_name_and_separators_no_single_line() {
        for filler in [
            "\u{3164}",
            "\u{3164}\u{3164}",
            "\u{FFA0}",
            "\u{115F}\u{1160}",
            "\u{00AD}",
            "\u{2062}",
        ] {
            assert_eq!(single_line(filler, 10), Err(TextError::Empty), "{filler:?}");
            assert_eq!(paragraphs(filler, 10), Err(TextError::Empty), "{filler:?}");
        }
        assert_eq!(single_line("李\u{00AD}秀英", 10), Err(TextError::ZeroWidth));
        assert_eq!(single_line("李\u{3164}英", 10), Err(TextError::ZeroWidth));
        assert_eq!(
            single_line("洪桥\u{2028}街道", 10),
            Err(TextError::ControlCharacter)
        );
        assert_eq!(
            single_line("洪桥\u{2029}街道", 10),
            Err(TextError::ControlCharacter)
        );
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

    #[test]
    fn spoofing_characters_are_refused_and_invisible_values_are_blank() {
        assert_eq!(
            single_line("李\u{202E}英秀", 10),
            Err(TextError::DirectionControl)
        );
        assert_eq!(
            paragraphs("文字\u{2066}倒\u{2069}", 10),
            Err(TextError::DirectionControl)
        );
        assert_eq!(single_line("\u{200B}\u{200B}", 10), Err(TextError::Empty));
        assert_eq!(single_line(" \u{FEFF} ", 10), Err(TextError::Empty));
        assert_eq!(paragraphs("\u{200B}\n\u{FEFF}", 10), Err(TextError::Empty));
        assert_eq!(single_line("张\u{200B}三", 10), Err(TextError::ZeroWidth));
        assert_eq!(paragraphs("好👍\u{200D}🔥", 10).unwrap(), "好👍\u{200D}🔥");
    }
}
