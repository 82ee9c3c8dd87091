//! CSV files for offices that keep their lists in spreadsheets (UTF-8 with a byte-order mark, so
//! Excel on Windows reads the Chinese correctly).

use domain::org::Division;

use crate::spreadsheet_text::neutralise_formula;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The divisions as CSV: 统计用区划代码, 名称, 类别, 下级数量.
pub fn divisions_csv(divisions: &[Division]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(BOM.to_vec());
    writer
        .write_record(["统计用区划代码", "名称", "类别", "下级数量"])
        .expect("writing to memory cannot fail");
    for division in divisions {
        writer
            .write_record([
                division.code.as_str(),
                &neutralise_formula(&division.name),
                division.code.kind().label_zh(),
                &division.child_count.to_string(),
            ])
            .expect("writing to memory cannot fail");
    }
    writer.into_inner().expect("flushing to memory cannot fail")
}

/// Reads a UTF-8 CSV table (as the data files under data/ are written): the header row and each data
/// row with its line number (the header is line 1).
pub fn read_table(text: &str) -> Result<crate::xlsx::Sheet, csv::Error> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers()?.iter().map(str::to_owned).collect();
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        rows.push((index + 2, record?.iter().map(str::to_owned).collect()));
    }
    Ok(crate::xlsx::Sheet { headers, rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::org::DivisionCode;

    #[test]
    fn csv_has_bom_header_and_neutralised_names() {
        let rows = [
            Division {
                code: DivisionCode::parse("440104001").unwrap(),
                name: "洪桥街道".into(),
                child_count: 9,
            },
            Division {
                code: DivisionCode::parse("440104003").unwrap(),
                name: "=HYPERLINK(1)".into(),
                child_count: 0,
            },
        ];
        let bytes = divisions_csv(&rows);
        assert!(bytes.starts_with(BOM));
        let text = String::from_utf8(bytes[BOM.len()..].to_vec()).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("统计用区划代码,名称,类别,下级数量"));
        assert_eq!(lines.next(), Some("440104001,洪桥街道,街道,9"));
        assert_eq!(lines.next(), Some("440104003,'=HYPERLINK(1),街道,0"));
    }
}
