//! Server-rendered bar charts (inline SVG, no JavaScript) for the dashboard: each chart is laid out
//! here as numbers, and `templates/partials/chart.html` draws it with a `<title>`, a description and the same
//! figures as a table, so a screen reader and a printout read what the picture shows. The picture is
//! one image (`role="img"`, nothing inside it to focus); the table's rows carry the links.

/// One bar: its label, its value and the text shown beside it, and the list it opens.
#[derive(Debug, Clone)]
pub(crate) struct Bar {
    pub label: String,
    pub value: u32,
    pub value_text: String,
    pub href: Option<String>,
    /// The bar's length in the drawing's units (0–`BAR_SPACE`).
    pub length: u32,
    /// Its top edge in the drawing's units.
    pub y: u32,
}

/// The drawing is narrow, each row a line of text (label and value) over its bar, so that on a phone
/// it shrinks little and its text stays readable; on a wide screen the stylesheet caps its width.
pub(crate) const WIDTH: u32 = 360;
/// The longest bar, in the drawing's units.
pub(crate) const BAR_SPACE: u32 = 356;
pub(crate) const ROW_HEIGHT: u32 = 46;
pub(crate) const BAR_HEIGHT: u32 = 16;

#[derive(Debug, Clone)]
pub(crate) struct BarChart {
    /// Unique on the page: ids of the title and description derive from it.
    pub id: String,
    pub title: String,
    pub description: String,
    /// The header of the table's value column.
    pub value_header: String,
    pub bars: Vec<Bar>,
}

impl BarChart {
    /// Lays out `bars` (label, value, text beside the bar, link) against the largest value, or against
    /// `scale` when given (100 for percentages).
    pub(crate) fn new(
        id: &str,
        title: &str,
        description: String,
        value_header: &str,
        bars: Vec<(String, u32, String, Option<String>)>,
        scale: Option<u32>,
    ) -> Self {
        let max = scale
            .unwrap_or_else(|| bars.iter().map(|b| b.1).max().unwrap_or(0))
            .max(1);
        let bars = bars
            .into_iter()
            .enumerate()
            .map(|(index, (label, value, value_text, href))| Bar {
                length: u32::try_from(u64::from(value.min(max)) * u64::from(BAR_SPACE) / u64::from(max))
                    .unwrap_or(BAR_SPACE),
                y: u32::try_from(index).unwrap_or(0) * ROW_HEIGHT,
                label,
                value,
                value_text,
                href,
            })
            .collect();
        Self {
            id: id.to_owned(),
            title: title.to_owned(),
            description,
            value_header: value_header.to_owned(),
            bars,
        }
    }

    pub(crate) fn height(&self) -> u32 {
        u32::try_from(self.bars.len()).unwrap_or(0) * ROW_HEIGHT
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.bars.iter().all(|b| b.value == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_or_to_a_given_scale() {
        let chart = BarChart::new(
            "c",
            "t",
            String::new(),
            "v",
            vec![
                ("a".into(), 10, "10".into(), None),
                ("b".into(), 5, "5".into(), None),
                ("c".into(), 0, "0".into(), None),
            ],
            None,
        );
        assert_eq!(chart.bars[0].length, BAR_SPACE);
        assert_eq!(chart.bars[1].length, BAR_SPACE / 2);
        assert_eq!(chart.bars[2].length, 0);
        assert_eq!(chart.bars[2].y, 2 * ROW_HEIGHT);
        assert_eq!(chart.height(), 3 * ROW_HEIGHT);
        let percent = BarChart::new(
            "p",
            "t",
            String::new(),
            "v",
            vec![("a".into(), 50, "50%".into(), None)],
            Some(100),
        );
        assert_eq!(percent.bars[0].length, BAR_SPACE / 2);
        assert!(!percent.is_empty());
        let nothing = BarChart::new(
            "n",
            "t",
            String::new(),
            "v",
            vec![("a".into(), 0, "0".into(), None)],
            None,
        );
        assert!(nothing.is_empty());
    }
}
