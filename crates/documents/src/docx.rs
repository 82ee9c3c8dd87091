//! Word documents in the layout of official documents (党政机关公文格式, GB/T 9704): A4, the standard
//! margins, the title in 小标宋 二号 centred, the body in 仿宋_GB2312 三号 with a two-character first-line
//! indent and a fixed line pitch, part headings (一、二、…) in 黑体.

use docx_rs::{AlignmentType, Docx, LineSpacing, LineSpacingType, Paragraph, Run, RunFonts};

/// Millimetres in twentieths of a point (Word's unit).
fn mm(value: f64) -> i32 {
    #[allow(clippy::cast_possible_truncation)] // page sizes, far inside i32
    let twips = (value * 1440.0 / 25.4).round() as i32;
    twips
}

const TITLE_FONT: &str = "方正小标宋简体";
const BODY_FONT: &str = "仿宋_GB2312";
const HEADING_FONT: &str = "黑体";
/// 二号 and 三号, in half-points.
const TITLE_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
/// 28.95 pt between lines (22 lines a page), in twips.
const LINE_PITCH: i32 = 579;

fn fonts(name: &str) -> RunFonts {
    RunFonts::new().east_asia(name).ascii(name).hi_ansi(name)
}

fn spaced(paragraph: Paragraph) -> Paragraph {
    paragraph.line_spacing(
        LineSpacing::new()
            .line_rule(LineSpacingType::Exact)
            .line(LINE_PITCH),
    )
}

/// Whether a line is a part heading: 一、 二、 … 十、
fn is_part_heading(line: &str) -> bool {
    let mut chars = line.chars();
    matches!(
        chars.next(),
        Some('一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十')
    ) && chars.next() == Some('、')
}

/// A document with `title` and `body` (one paragraph a line; blank lines dropped).
pub fn official_document(title: &str, body: &str) -> Result<Vec<u8>, std::io::Error> {
    let mut doc = Docx::new()
        .page_size(11906, 16838)
        .page_margin(docx_rs::PageMargin {
            top: mm(37.0),
            bottom: mm(35.0),
            left: mm(28.0),
            right: mm(26.0),
            header: mm(15.0),
            footer: mm(28.0),
            gutter: 0,
        })
        .add_paragraph(spaced(
            Paragraph::new().align(AlignmentType::Center).add_run(
                Run::new()
                    .add_text(title)
                    .fonts(fonts(TITLE_FONT))
                    .size(TITLE_SIZE),
            ),
        ))
        // One blank line under the title.
        .add_paragraph(spaced(Paragraph::new()));
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let font = if is_part_heading(line) {
            HEADING_FONT
        } else {
            BODY_FONT
        };
        doc = doc.add_paragraph(spaced(
            Paragraph::new()
                .first_line_chars(200)
                .add_run(Run::new().add_text(line).fonts(fonts(font)).size(BODY_SIZE)),
        ));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(std::io::Error::other)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_holds_the_title_and_each_line_in_the_official_fonts() {
        let bytes = official_document(
            "关于停车难的情况和建议",
            "一、基本情况\n共 4 件 <b>&\n\n二、原因分析",
        )
        .unwrap();
        assert_eq!(&bytes[..2], b"PK", "a zip package");
        let read = docx_rs::read_docx(&bytes).unwrap();
        let json = read.json();
        assert!(json.contains("关于停车难的情况和建议"));
        assert!(json.contains("共 4 件 <b>&"), "text kept as text");
        assert!(json.contains("黑体") && json.contains("仿宋_GB2312"));
        assert_eq!(read.document.children.len(), 5, "title, blank, three lines");
    }
}
