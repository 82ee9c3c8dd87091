//! Formats in and out: spreadsheets, CSV, documents, calendars, QR codes. Everything that leaves the
//! system as a file is written here, with spreadsheet formula injection neutralised.

pub mod csv_export;
pub mod docx;
pub mod ical;
pub mod photo;
pub mod qr;
pub mod spreadsheet_text;
pub mod xlsx;
