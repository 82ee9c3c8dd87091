//! The promises of `domain::text`, written out independently, for the targets to hold accepted text to.
#![allow(dead_code)]

/// Bidirectional formatting characters: embeddings and overrides (U+202A–U+202E), isolates
/// (U+2066–U+2069) and the marks (LRM, RLM, ALM).
pub fn direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// The zero-width characters `domain::text` names.
pub fn zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}')
}

/// Unicode non-characters (U+FDD0–U+FDEF and the last two of every plane): XML cannot hold them.
pub fn noncharacter(c: char) -> bool {
    let code = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

/// Checks what `domain::text::single_line` promises of the text it returned: trimmed, at most `max`
/// characters, not blank, one line, and nothing invisible that would make two equal-looking values
/// differ.
pub fn assert_single_line(what: &str, text: &str, max: usize) {
    assert_eq!(text, text.trim(), "{what}: {text:?} is not trimmed");
    assert!(!text.is_empty(), "{what}: empty");
    assert!(
        text.chars().count() <= max,
        "{what}: {text:?} over {max} characters"
    );
    for c in text.chars() {
        assert!(!c.is_control(), "{what}: {text:?} has control character {c:?}");
        assert!(
            !direction_control(c),
            "{what}: {text:?} has direction control {c:?}"
        );
        assert!(!zero_width(c), "{what}: {text:?} has zero-width {c:?}");
        assert!(!noncharacter(c), "{what}: {text:?} has non-character {c:?}");
    }
    assert!(
        !text.chars().all(|c| c.is_whitespace() || zero_width(c)),
        "{what}: {text:?} is blank"
    );
}

/// Checks what `domain::text::paragraphs` promises: trimmed, at most `max` characters, not blank,
/// line breaks only as `\n`, no other control characters, no direction controls.
pub fn assert_paragraphs(what: &str, text: &str, max: usize) {
    assert_eq!(text, text.trim(), "{what}: not trimmed");
    assert!(text.chars().count() <= max, "{what}: over {max} characters");
    assert!(!text.contains('\r'), "{what}: {text:?} keeps a carriage return");
    for c in text.chars() {
        assert!(
            c == '\n' || !c.is_control(),
            "{what}: {text:?} has control character {c:?}"
        );
        assert!(
            !direction_control(c),
            "{what}: {text:?} has direction control {c:?}"
        );
        assert!(!noncharacter(c), "{what}: {text:?} has non-character {c:?}");
    }
    assert!(
        !text.chars().all(|c| c.is_whitespace() || zero_width(c)),
        "{what}: {text:?} is blank"
    );
}
