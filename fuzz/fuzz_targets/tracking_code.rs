//! What a resident types that the system reads as a code, a phone number or a username:
//! `domain::opinion::parse_tracking_code` (the /track lookup), `domain::member::MobileNumber::parse`
//! (the opinion form, visitor registration, the roster) and `domain::identity::parse_username` (sign-in,
//! new accounts); also `domain::opinion::tracking_code`, which makes the codes residents are handed.
#![no_main]

use domain::identity::parse_username;
use domain::member::MobileNumber;
use domain::opinion::{parse_tracking_code, tracking_code};
use libfuzzer_sys::fuzz_target;

/// The symbols a code is written in (no 0/O, 1/I/L, U/V: nothing a person could misread).
const ALPHABET: &str = "23456789ABCDEFGHJKMNPQRSTWXYZ";

/// A canonical code: `XXXX-XXXX-XXXX`, every symbol from the alphabet.
fn assert_canonical(code: &str) {
    assert_eq!(code.len(), 14, "{code:?}");
    for (i, c) in code.chars().enumerate() {
        if i == 4 || i == 9 {
            assert_eq!(c, '-', "{code:?}");
        } else {
            assert!(ALPHABET.contains(c), "{code:?}");
        }
    }
}

/// A canonical code reads back as itself however a person types it, and one wrong symbol or one swap
/// of neighbouring symbols is never taken for a code.
fn check_code(code: &str, wrong: u8, at: usize) {
    assert_canonical(code);
    assert_eq!(parse_tracking_code(code).as_deref(), Some(code));
    let bare: String = code.chars().filter(|c| *c != '-').collect();
    assert_eq!(parse_tracking_code(&bare).as_deref(), Some(code));
    let typed = format!(" {} ", code.replace('-', " ").to_lowercase());
    assert_eq!(parse_tracking_code(&typed).as_deref(), Some(code));

    let symbols: Vec<u8> = bare.bytes().collect();
    let at = at % symbols.len();
    let mut changed = symbols.clone();
    let alphabet = ALPHABET.as_bytes();
    changed[at] = alphabet[usize::from(wrong) % alphabet.len()];
    if changed[at] != symbols[at] {
        let changed = String::from_utf8(changed).unwrap();
        assert_eq!(
            parse_tracking_code(&changed),
            None,
            "{code} → {changed}: one wrong symbol"
        );
    }
    if at + 1 < symbols.len() && symbols[at] != symbols[at + 1] {
        let mut swapped = symbols.clone();
        swapped.swap(at, at + 1);
        let swapped = String::from_utf8(swapped).unwrap();
        assert_eq!(
            parse_tracking_code(&swapped),
            None,
            "{code} → {swapped}: neighbours swapped"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    // A code made from 64 random bits, as `App::open_case` makes them.
    if data.len() >= 10 {
        let random = u64::from_le_bytes(data[..8].try_into().unwrap());
        let code = tracking_code(random);
        check_code(&code, data[8], usize::from(data[9]));
    }

    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };

    // Whatever the resident typed: a code that parses is canonical and parses to itself.
    if let Some(code) = parse_tracking_code(raw) {
        let seed = data.first().copied().unwrap_or(0);
        check_code(&code, seed, data.len());
        // Only spaces, hyphens and case were forgiven: the symbols are the typed ones, in order.
        let typed: String = raw
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        assert_eq!(typed, code.replace('-', ""));
    }

    // A mobile number: 11 ASCII digits, 1 then 3–9; reads back as itself; masked, it hides the middle.
    if let Some(number) = MobileNumber::parse(raw) {
        let digits = number.as_str();
        assert_eq!(digits.len(), 11, "{raw:?}");
        assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{raw:?}");
        assert!(digits.starts_with('1') && (b'3'..=b'9').contains(&digits.as_bytes()[1]));
        assert_eq!(MobileNumber::parse(digits).as_ref(), Some(&number));
        let masked = number.masked();
        assert_eq!(masked, format!("{}****{}", &digits[..3], &digits[7..]));
        assert_eq!(format!("{number:?}"), masked, "Debug must not show the number");
        // What was typed was the number with spaces, hyphens and perhaps +86 around it.
        let kept: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        assert!(kept == digits || kept == format!("+86{digits}"), "{raw:?}");
    }

    // A username: 3–32 of a-z 0-9 . _ -, starting with a letter; normalising twice changes nothing,
    // and ASCII case does not matter.
    if let Ok(name) = parse_username(raw) {
        assert!((3..=32).contains(&name.len()), "{raw:?}");
        assert!(name.starts_with(|c: char| c.is_ascii_lowercase()), "{raw:?}");
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')),
            "{raw:?}"
        );
        assert_eq!(parse_username(&name).as_deref(), Ok(name.as_str()));
        assert_eq!(raw.trim().to_ascii_lowercase(), name);
    }
    assert_eq!(
        parse_username(raw).ok(),
        parse_username(&raw.to_ascii_uppercase()).ok(),
        "{raw:?}: ASCII case changed the answer"
    );
});
