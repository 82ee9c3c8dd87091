//! Excel files: reading the first sheet of an uploaded workbook (calamine) and writing workbooks
//! (rust_xlsxwriter) whose text cells can never run as formulas.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use thiserror::Error;

use crate::spreadsheet_text::neutralise_formula;

#[derive(Debug, Error)]
pub enum SheetError {
    #[error("不是有效的 Excel（.xlsx）文件：{0}")]
    NotXlsx(String),
    #[error("工作簿中没有工作表")]
    NoSheet,
    #[error("第一个工作表是空的")]
    Empty,
}

/// The first sheet as text: the header row, then each data row with its spreadsheet row number
/// (the header is row 1). Wholly empty rows are skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads the first sheet of an .xlsx file held in memory.
pub fn read_first_sheet(bytes: &[u8]) -> Result<Sheet, SheetError> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|err: calamine::XlsxError| SheetError::NotXlsx(err.to_string()))?;
    let first = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or(SheetError::NoSheet)?;
    let range = workbook
        .worksheet_range(&first)
        .map_err(|err| SheetError::NotXlsx(err.to_string()))?;
    let offset = range.start().map_or(0, |(row, _)| row as usize);
    let mut rows = range.rows().enumerate();
    let headers = rows
        .next()
        .ok_or(SheetError::Empty)?
        .1
        .iter()
        .map(cell_text)
        .collect();
    let rows = rows
        .map(|(index, cells)| {
            (
                offset + index + 1,
                cells.iter().map(cell_text).collect::<Vec<_>>(),
            )
        })
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    Ok(Sheet { headers, rows })
}

/// A cell as the person typed it: whole numbers without ".0" (a phone number stored as a number).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
        Data::Float(value) if value.fract() == 0.0 && value.abs() < 1e15 => format!("{}", *value as i64),
        Data::Float(value) => value.to_string(),
        Data::Int(value) => value.to_string(),
        Data::Bool(value) => if *value { "是" } else { "否" }.to_owned(),
        other => other.to_string(),
    }
}

/// Writes one sheet: a bold header row and text rows, every cell neutralised against formulas.
pub fn write_sheet(sheet_name: &str, headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name)?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (col, header) in headers.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, col, *header, &bold)?;
        sheet.set_column_width(col, 16)?;
        sheet.set_column_format(col, &text)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let r = u32::try_from(index + 1).unwrap_or(u32::MAX);
        for (col, value) in row.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            sheet.write_string(r, col, neutralise_formula(value))?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

/// A cell of a written table: text (neutralised against formulas) or a number Excel can sum.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

/// Writes one sheet of typed cells: a bold header row, text cells neutralised, numbers as numbers.
pub fn write_table(sheet_name: &str, headers: &[&str], rows: &[Vec<Cell>]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name)?;
    let bold = Format::new().set_bold();
    for (col, header) in headers.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, col, *header, &bold)?;
        sheet.set_column_width(col, 14)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let r = u32::try_from(index + 1).unwrap_or(u32::MAX);
        for (col, value) in row.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            match value {
                Cell::Text(text) => sheet.write_string(r, col, neutralise_formula(text))?,
                Cell::Number(n) => sheet.write_number(r, col, *n)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(
        0,
        0,
        u32::try_from(rows.len()).unwrap_or(u32::MAX),
        u16::try_from(headers.len().saturating_sub(1)).unwrap_or(0),
    )?;
    workbook.save_to_buffer()
}

/// How wide a column is drawn for its widest text (CJK characters count double), between 10 and 48.
fn column_width(header: &str, rows: &[Vec<domain::ledger::Cell>], col: usize) -> f64 {
    let width = |text: &str| -> usize { text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum() };
    let widest = rows
        .iter()
        .filter_map(|row| match row.get(col) {
            Some(domain::ledger::Cell::Text(text)) => Some(width(text)),
            Some(domain::ledger::Cell::Date(_)) => Some(10),
            Some(domain::ledger::Cell::Number(_)) => Some(6),
            _ => None,
        })
        .chain([width(header)])
        .max()
        .unwrap_or(10);
    #[allow(clippy::cast_precision_loss)]
    let chars = widest.clamp(10, 48) as f64;
    chars + 2.0
}

/// Writes a ledger (台账) in the layout an office keeps: the title (room and year) over all columns, a
/// bold frozen header row with a filter, then one row a record: dates as Excel dates, numbers as numbers,
/// text neutralised against formulas. Printed landscape on A4, one page wide, the header repeated.
pub fn write_ledger(
    sheet_name: &str,
    title: &str,
    headers: &[&str],
    rows: &[Vec<domain::ledger::Cell>],
) -> Result<Vec<u8>, XlsxError> {
    use domain::ledger::Cell as LedgerCell;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name)?;
    let last_col = u16::try_from(headers.len().saturating_sub(1)).unwrap_or(0);
    let title_format = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let title = neutralise_formula(title);
    if last_col == 0 {
        sheet.write_string_with_format(0, 0, &title, &title_format)?;
    } else {
        sheet.merge_range(0, 0, 0, last_col, &title, &title_format)?;
    }
    sheet.set_row_height(0, 30)?;
    let header_format = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color("#E7E6E6");
    let text_format = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let number_format = Format::new()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let date_format = Format::new()
        .set_num_format("yyyy-mm-dd")
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    for (col, header) in headers.iter().enumerate() {
        let c = u16::try_from(col).unwrap_or(u16::MAX);
        sheet.write_string_with_format(1, c, neutralise_formula(header), &header_format)?;
        sheet.set_column_width(c, column_width(header, rows, col))?;
    }
    for (index, row) in rows.iter().enumerate() {
        let r = u32::try_from(index + 2).unwrap_or(u32::MAX);
        for (col, cell) in row.iter().enumerate() {
            let c = u16::try_from(col).unwrap_or(u16::MAX);
            match cell {
                LedgerCell::Text(text) => {
                    sheet.write_string_with_format(r, c, neutralise_formula(text), &text_format)?;
                }
                LedgerCell::Number(n) => {
                    sheet.write_number_with_format(r, c, *n, &number_format)?;
                }
                LedgerCell::Date(day) => {
                    let excel = ExcelDateTime::from_ymd(
                        u16::try_from(day.year())
                            .map_err(|_| XlsxError::DateTimeRangeError(day.to_string()))?,
                        u8::try_from(day.month()).unwrap_or(1),
                        u8::try_from(day.day()).unwrap_or(1),
                    )?;
                    sheet.write_date_with_format(r, c, &excel, &date_format)?;
                }
                LedgerCell::Blank => {
                    sheet.write_blank(r, c, &number_format)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(2, 0)?;
    sheet.autofilter(1, 0, u32::try_from(rows.len() + 1).unwrap_or(u32::MAX), last_col)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 1)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_sheet_reads_back_with_row_numbers_and_no_formulas() {
        let rows = vec![
            vec!["陈思远".to_owned(), "13800138000".to_owned()],
            vec![String::new(), String::new()],
            vec!["=HYPERLINK(\"http://x\",\"点我\")".to_owned(), String::new()],
        ];
        let bytes = write_sheet("委员名册", &["姓名", "手机号码"], &rows).unwrap();
        let sheet = read_first_sheet(&bytes).unwrap();
        assert_eq!(sheet.headers, ["姓名", "手机号码"]);
        assert_eq!(sheet.rows.len(), 2, "the empty row is skipped");
        assert_eq!(
            sheet.rows[0],
            (2, vec!["陈思远".to_owned(), "13800138000".to_owned()])
        );
        assert_eq!(sheet.rows[1].0, 4);
        assert!(
            sheet.rows[1].1[0].starts_with("'="),
            "stored as text, not a formula"
        );
    }

    #[test]
    fn a_table_keeps_numbers_as_numbers_and_text_harmless() {
        let rows = vec![vec![Cell::Text("=1+1".to_owned()), Cell::Number(20.0)]];
        let bytes = write_table("积分", &["姓名", "积分"], &rows).unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(range.get((1, 0)), Some(&Data::String("'=1+1".to_owned())));
        assert_eq!(range.get((1, 1)), Some(&Data::Float(20.0)));
    }

    #[test]
    fn a_ledger_has_its_title_a_header_and_typed_cells() {
        use domain::ledger::Cell as L;
        let day = chrono::NaiveDate::from_ymd_opt(2026, 5, 15).unwrap();
        let rows = vec![vec![
            L::Date(day),
            L::Text("=1+1".to_owned()),
            L::Number(12.0),
            L::Blank,
        ]];
        let bytes = write_ledger(
            "工作台账",
            "洪桥 2026 年工作台账",
            &["日期", "内容", "人数", "备注"],
            &rows,
        )
        .unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(
            range.get((0, 0)),
            Some(&Data::String("洪桥 2026 年工作台账".to_owned()))
        );
        assert_eq!(range.get((1, 2)), Some(&Data::String("人数".to_owned())));
        match range.get((2, 0)) {
            Some(Data::DateTime(dt)) => {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                assert_eq!((y, m, d), (2026, 5, 15));
            }
            other => panic!("a date cell, not {other:?}"),
        }
        assert_eq!(range.get((2, 1)), Some(&Data::String("'=1+1".to_owned())));
        assert_eq!(range.get((2, 2)), Some(&Data::Float(12.0)));
    }

    #[test]
    fn something_that_is_not_a_workbook_is_refused() {
        assert!(matches!(
            read_first_sheet(b"name,level\n"),
            Err(SheetError::NotXlsx(_))
        ));
    }
}
