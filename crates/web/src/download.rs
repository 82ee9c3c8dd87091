//! Files the server hands out, for pages and the API alike: one place sets their content type and the
//! `Content-Disposition` that keeps a Chinese file name intact.

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// The kinds of file the server writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Xlsx,
    Docx,
    /// UTF-8 with a BOM (`documents::csv_export`), so Excel reads the Chinese.
    Csv,
    /// iCalendar feeds, which calendar apps subscribe to rather than save.
    Ics,
}

impl FileKind {
    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Csv => "text/csv; charset=utf-8",
            Self::Ics => "text/calendar; charset=utf-8",
        }
    }
}

/// Bytes left as they are in `filename*` (RFC 5987 / RFC 8187): the unreserved characters.
const FILENAME_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `body` as a download saved as `name`. `ascii_name` is what an old client that does not read
/// `filename*` saves instead (pass `name` itself when it is plain ASCII).
pub fn attachment(kind: FileKind, name: &str, ascii_name: &str, body: impl Into<Body>) -> Response {
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        quoted_safe(ascii_name),
        utf8_percent_encode(name, FILENAME_UNRESERVED)
    );
    let mut response = body.into().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(kind.content_type()),
    );
    // Cannot fail: the value is printable ASCII by construction.
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// An .xlsx download whose name is plain ASCII (`score-sheet-2026.xlsx`).
pub fn xlsx(name: &str, bytes: Vec<u8>) -> Response {
    attachment(FileKind::Xlsx, name, name, bytes)
}

/// A .docx download whose name is plain ASCII.
pub fn docx(name: &str, bytes: Vec<u8>) -> Response {
    attachment(FileKind::Docx, name, name, bytes)
}

/// The fallback name inside `filename="…"`: printable ASCII without the quote and backslash, which
/// would end or escape the quoted string.
fn quoted_safe(raw: &str) -> String {
    raw.chars()
        .map(|c| {
            if (c.is_ascii_graphic() || c == ' ') && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disposition(response: &Response) -> &str {
        response.headers()[header::CONTENT_DISPOSITION].to_str().unwrap()
    }

    #[test]
    fn a_chinese_name_travels_percent_encoded_beside_its_ascii_fallback() {
        let response = attachment(
            FileKind::Xlsx,
            "委员名册模板.xlsx",
            "roster-template.xlsx",
            Vec::new(),
        );
        assert_eq!(
            disposition(&response),
            "attachment; filename=\"roster-template.xlsx\"; \
             filename*=UTF-8''%E5%A7%94%E5%91%98%E5%90%8D%E5%86%8C%E6%A8%A1%E6%9D%BF.xlsx"
        );
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
    }

    #[test]
    fn the_fallback_cannot_break_out_of_its_quotes() {
        let response = docx("a\"b\\c\r\nd.docx", Vec::new());
        assert!(
            disposition(&response).starts_with(
                "attachment; filename=\"a_b_c__d.docx\"; filename*=UTF-8''a%22b%5Cc%0D%0Ad.docx"
            )
        );
    }
}
