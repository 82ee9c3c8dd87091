//! Residents' personal data (个人信息) in a wrapper that cannot leak by accident: `Debug` prints
//! `***`, there is no `Display` and no `Serialize`, so a contact reaches a log line, a JSON body or a
//! page only where code asks for it by name with [`Pii::expose`].

use std::fmt;

/// A resident's name, phone or address, held as `T`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Pii<T>(T);

impl<T> Pii<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The value itself, for the one place that shows or stores it.
    pub fn expose(&self) -> &T {
        &self.0
    }

    pub fn into_exposed(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Pii<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl<T> From<T> for Pii<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    #[allow(dead_code)]
    struct Case {
        contact_name: Pii<String>,
        contact_phone: Option<Pii<String>>,
    }

    #[test]
    fn debug_output_never_shows_the_value() {
        let case = Case {
            contact_name: Pii::new("李秀英".to_owned()),
            contact_phone: Some(Pii::new("13900004444".to_owned())),
        };
        let printed = format!("{case:?} {case:#?}");
        assert!(
            !printed.contains("李秀英") && !printed.contains("13900004444"),
            "{printed}"
        );
        assert_eq!(case.contact_name.expose(), "李秀英");
    }
}
