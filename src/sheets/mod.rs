//! Tables in files: reading CSV and XLSX into rows of text, writing rows
//! back out as CSV or XLSX. Imports and exports of every feature use these.

pub mod mapping;
pub mod report;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// From a file name's extension.
    pub fn from_file_name(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(Format::Csv)
        } else if lower.ends_with(".xlsx") {
            Some(Format::Xlsx)
        } else {
            None
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// A file that could not be read as a table.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Unreadable(pub String);

/// Every row of the first sheet as text, the header row first. Empty rows
/// are kept (as empty vectors) so that row numbers match the file.
pub fn read(bytes: &[u8], format: Format) -> Result<Vec<Vec<String>>, Unreadable> {
    match format {
        Format::Csv => read_csv(bytes),
        Format::Xlsx => read_xlsx(bytes),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, Unreadable> {
    // Spreadsheet programs often save UTF-8 with a byte-order mark.
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    reader
        .records()
        .map(|r| r.map(|rec| rec.iter().map(|s| s.trim().to_string()).collect()))
        .collect::<Result<_, _>>()
        .map_err(|e| Unreadable(e.to_string()))
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, Unreadable> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e: calamine::XlsxError| Unreadable(e.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| Unreadable("the workbook has no sheet".into()))?
        .map_err(|e| Unreadable(e.to_string()))?;
    // Rows above the used range are empty; keep them so numbers match.
    let offset = range.start().map(|(row, _)| row as usize).unwrap_or(0);
    let first_column = range.start().map(|(_, col)| col as usize).unwrap_or(0);
    let mut rows = vec![Vec::new(); offset];
    for row in range.rows() {
        let mut cells = vec![String::new(); first_column];
        cells.extend(row.iter().map(cell_text));
        rows.push(cells);
    }
    Ok(rows)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::String(s) => s.trim().to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => excel_date(dt.as_f64()),
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// An Excel date serial (days since 1899-12-30) as YYYY-MM-DD.
fn excel_date(serial: f64) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    epoch
        .checked_add_signed(chrono::Duration::days(serial.floor() as i64))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Rows as CSV (UTF-8 with a byte-order mark, so that spreadsheet programs
/// read Chinese, Japanese and Korean correctly).
pub fn write_csv(rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        for row in rows {
            writer.write_record(row)?;
        }
        writer.flush()?;
    }
    Ok(out)
}

/// Rows as an XLSX workbook with one sheet; the first row bold.
pub fn write_xlsx(sheet_name: &str, rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name)?;
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c) = (u32::try_from(r)?, u16::try_from(c)?);
            if r == 0 {
                sheet.write_string_with_format(r, c, value, &bold)?;
            } else {
                sheet.write_string(r, c, value)?;
            }
        }
    }
    Ok(workbook.save_to_buffer()?)
}

/// Rows as a file of `format`; `sheet_name` names the XLSX sheet.
pub fn write(format: Format, sheet_name: &str, rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    match format {
        Format::Csv => write_csv(rows),
        Format::Xlsx => write_xlsx(sheet_name, rows),
    }
}

/// A header as compared: lower case, without spaces, with full-width
/// brackets made plain.
pub fn normalise_header(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_xlsx_round_trip() {
        let rows = vec![
            vec!["名称".to_string(), "従業員数".to_string()],
            vec!["大連, 海岳".to_string(), "860".to_string()],
        ];
        let csv = write_csv(&rows).unwrap();
        assert_eq!(read(&csv, Format::Csv).unwrap(), rows);
        let xlsx = write_xlsx("sheet", &rows).unwrap();
        assert_eq!(read(&xlsx, Format::Xlsx).unwrap(), rows);
        assert!(read(b"not a workbook", Format::Xlsx).is_err());
    }

    #[test]
    fn headers_compare_loosely() {
        assert_eq!(normalise_header(" 行业（GB/T 4754） "), "行业(gb/t4754)");
        assert_eq!(excel_date(45383.0), "2024-04-01");
        assert_eq!(Format::from_file_name("A.XLSX"), Some(Format::Xlsx));
    }
}
