//! The text rules of `domain::text` and the formats the server parses, written as the JSON Schema
//! patterns the OpenAPI document states, so a client generating data from the schema sends what the
//! server accepts (schemathesis' "schema-valid request rejected" finds any gap). The character classes
//! are the ones `domain::text` refuses: control characters, direction controls (bidi), zero-width
//! characters and the Unicode non-characters.

/// A division code of Guangzhou (4401…): 6 digits (district), 9 (town/street) or 12 (community).
pub(crate) const DIVISION_CODE: &str = r"^4401[0-9]{2}([0-9]{3}([0-9]{3})?)?$";

/// A mainland mobile number as the forms send it.
pub(crate) const MOBILE: &str = r"^1[3-9][0-9]{9}$";

/// A search term: no control characters.
pub(crate) const SEARCH: &str = r"^[^\u0000-\u001F\u007F-\u009F]*$";

/// A required single line (`text::single_line`): at least one visible character, and none of the
/// refused ones.
pub(crate) const LINE: &str = r"^[^\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2028\u2029\u2066-\u2069\u180E\u200B-\u200D\u2060\u00AD\u034F\u115F\u1160\u17B4\u17B5\u2061-\u2064\u3164\uFFA0\uFEFF\uFDD0-\uFDEF\uFFFE\uFFFF]*[^\s\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2028\u2029\u2066-\u2069\u180E\u200B-\u200D\u2060\u00AD\u034F\u115F\u1160\u17B4\u17B5\u2061-\u2064\u3164\uFFA0\uFEFF\uFDD0-\uFDEF\uFFFE\uFFFF][^\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2028\u2029\u2066-\u2069\u180E\u200B-\u200D\u2060\u00AD\u034F\u115F\u1160\u17B4\u17B5\u2061-\u2064\u3164\uFFA0\uFEFF\uFDD0-\uFDEF\uFFFE\uFFFF]*$";

/// An optional single line: blank means none.
pub(crate) const OPTIONAL_LINE: &str = r"^[^\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2028\u2029\u2066-\u2069\u180E\u200B-\u200D\u2060\u00AD\u034F\u115F\u1160\u17B4\u17B5\u2061-\u2064\u3164\uFFA0\uFEFF\uFDD0-\uFDEF\uFFFE\uFFFF]*$";

/// Required text of several lines (`text::paragraphs`): line breaks allowed, at least one visible
/// character, no other control characters nor direction controls.
pub(crate) const TEXT: &str = r"^[^\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFDD0-\uFDEF\uFFFE\uFFFF]*[^\s\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u180E\u200B-\u200D\u2060\u00AD\u034F\u115F\u1160\u17B4\u17B5\u2061-\u2064\u3164\uFFA0\uFEFF\uFDD0-\uFDEF\uFFFE\uFFFF][^\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFDD0-\uFDEF\uFFFE\uFFFF]*$";

/// A required field: some character that is not white space.
pub(crate) const NOT_BLANK: &str = r"\S";

/// The schema of a consent box: only `true` is accepted.
pub(crate) fn must_be_true() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::Boolean)
        .enum_values(Some([true]))
        .description(Some("Must be true: the resident has read and agreed."))
        .build()
}

/// Typed text of the request bodies: (schema, property, pattern). utoipa's attributes take only
/// literals, so the patterns are set here, once, on the generated document.
const PROPERTY_PATTERNS: &[(&str, &str, &str)] = &[
    ("OnlineOpinionJson", "content", TEXT),
    ("OnlineOpinionJson", "contact_name", LINE),
    ("OnlineOpinionJson", "contact_phone", MOBILE),
    ("OnlineOpinionJson", "community", OPTIONAL_LINE),
    ("LoginRequest", "username", NOT_BLANK),
    ("RuleVersionInputJson", "title", LINE),
    ("RuleVersionInputJson", "text", TEXT),
];

/// Path and query parameters: (path, parameter, pattern).
const PARAMETER_PATTERNS: &[(&str, &str, &str)] = &[
    ("/api/v1/divisions", "parent", DIVISION_CODE),
    ("/api/v1/divisions/search", "q", SEARCH),
    ("/api/v1/divisions/{code}", "code", DIVISION_CODE),
];

fn set_pattern(schema: &mut utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>, pattern: &str) -> bool {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::Schema;
    match schema {
        RefOr::T(Schema::Object(object)) => {
            object.pattern = Some(pattern.to_owned());
            true
        }
        _ => false,
    }
}

/// Every `year` parameter takes the years the records hold: from 2019 (the regulation took effect on
/// 2019-10-31) to next year, which `last_year` names (the document is written at start-up).
fn bound_years(openapi: &mut utoipa::openapi::OpenApi, last_year: i32) {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::Schema;
    for item in openapi.paths.paths.values_mut() {
        let operations = [
            item.get.as_mut(),
            item.post.as_mut(),
            item.put.as_mut(),
            item.patch.as_mut(),
            item.delete.as_mut(),
        ];
        for operation in operations.into_iter().flatten() {
            for parameter in operation.parameters.iter_mut().flatten() {
                if let RefOr::T(parameter) = parameter
                    && parameter.name == "year"
                    && let Some(RefOr::T(Schema::Object(object))) = parameter.schema.as_mut()
                {
                    object.minimum = Some(utoipa::Number::Int(2019));
                    object.maximum = Some(utoipa::Number::Int(isize::try_from(last_year).unwrap_or(2100)));
                }
            }
        }
    }
}

/// Writes the patterns and the years' bounds into the document; answers the entries it could not
/// place (none, unless a type or a field was renamed: a test keeps the tables true).
pub(crate) fn apply(openapi: &mut utoipa::openapi::OpenApi, last_year: i32) -> Vec<String> {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::Schema;
    bound_years(openapi, last_year);
    let mut missed = Vec::new();
    for (schema_name, property, pattern) in PROPERTY_PATTERNS {
        let placed = openapi
            .components
            .as_mut()
            .and_then(|c| c.schemas.get_mut(*schema_name))
            .and_then(|schema| match schema {
                RefOr::T(Schema::Object(object)) => object.properties.get_mut(*property),
                _ => None,
            })
            .is_some_and(|field| set_pattern(field, pattern));
        if !placed {
            missed.push(format!("{schema_name}.{property}"));
        }
    }
    for (path, name, pattern) in PARAMETER_PATTERNS {
        let mut placed = false;
        if let Some(item) = openapi.paths.paths.get_mut(*path) {
            let operations = [
                item.get.as_mut(),
                item.post.as_mut(),
                item.put.as_mut(),
                item.patch.as_mut(),
                item.delete.as_mut(),
            ];
            for operation in operations.into_iter().flatten() {
                for parameter in operation.parameters.iter_mut().flatten() {
                    if let RefOr::T(parameter) = parameter
                        && parameter.name == *name
                        && let Some(schema) = parameter.schema.as_mut()
                    {
                        placed |= set_pattern(schema, pattern);
                    }
                }
            }
        }
        if !placed {
            missed.push(format!("{path} {name}"));
        }
    }
    missed
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// Values a schema-driven tester or an attacker might send.
    const SAMPLES: &[&str] = &[
        "洪桥街",
        " 洪桥街 ",
        "",
        "   ",
        "\u{3000}",
        "a",
        "\u{200B}",
        "\u{FEFF}名",
        "\u{3164}",
        "李\u{3164}英",
        "\u{00AD}",
        "李\u{00AD}英",
        "\u{2062}",
        "洪桥\u{2028}街道",
        "洪桥\u{2029}街道",
        "\u{FFA0}",
        "a\u{202E}b",
        "a\u{2066}b",
        "a\nb",
        "a\r\nb",
        "\nb\n",
        "\t",
        "a\tb",
        "a\u{0}b",
        "a\u{7}b",
        "a\u{85}b",
        "\u{FDD0}",
        "\u{FFFE}",
        "<script>",
        "=1+1",
        "' OR 1=1 --",
        "家\u{200D}人",
        "\u{1F600}",
    ];

    #[test]
    fn every_pattern_finds_its_field() {
        let (_, mut openapi) = crate::api::router().split_for_parts();
        assert_eq!(apply(&mut openapi, 2027), Vec::<String>::new());
    }

    /// Whatever a pattern lets through, the rule it describes accepts: schema-valid is server-valid.
    #[test]
    fn what_a_pattern_allows_the_text_rules_accept() {
        let line = Regex::new(LINE).unwrap();
        let optional = Regex::new(OPTIONAL_LINE).unwrap();
        let text = Regex::new(TEXT).unwrap();
        let search = Regex::new(SEARCH).unwrap();
        for sample in SAMPLES {
            if line.is_match(sample) {
                assert!(
                    domain::text::single_line(sample, 100).is_ok(),
                    "LINE lets {sample:?} through"
                );
            }
            if optional.is_match(sample) && !domain::text::blank(sample.trim()) {
                assert!(
                    domain::text::single_line(sample, 100).is_ok(),
                    "OPTIONAL_LINE lets {sample:?} through"
                );
            }
            if text.is_match(sample) {
                assert!(
                    domain::text::paragraphs(sample, 100).is_ok(),
                    "TEXT lets {sample:?} through"
                );
            }
            if search.is_match(sample) {
                assert!(
                    !sample.chars().any(char::is_control),
                    "SEARCH lets {sample:?} through"
                );
            }
        }
        // And the ordinary values pass.
        assert!(line.is_match("洪桥街") && text.is_match("一、第一段\n二、第二段") && optional.is_match(""));
        let code = Regex::new(DIVISION_CODE).unwrap();
        assert!(code.is_match("440104") && code.is_match("440104001") && code.is_match("440104001007"));
        assert!(!code.is_match("44010") && !code.is_match("4401040") && !code.is_match(""));
        assert!(!code.is_match("008005"), "outside Guangzhou");
        let mobile = Regex::new(MOBILE).unwrap();
        assert!(mobile.is_match("13800138000") && !mobile.is_match("12800138000"));
        assert!(domain::member::MobileNumber::parse("13800138000").is_some());
    }
}
