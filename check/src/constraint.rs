//! The checks of one constraint on one value, as the generated newtypes run them when a
//! value is built in Rust, and the error they give.

/// A value that breaks one schema keyword, e.g. a 256-character product name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (JSON Schema keyword `{keyword}`)")]
pub struct ConstraintError {
    /// The schema keyword the value breaks (`maxLength`, `minimum`, `pattern`, …).
    pub keyword: &'static str,
    /// What is wrong, with the limit and the value.
    pub message: String,
}

impl ConstraintError {
    /// A violation of `keyword`.
    pub fn new(keyword: &'static str, message: impl Into<String>) -> Self {
        ConstraintError {
            keyword,
            message: message.into(),
        }
    }
}

/// Counts Unicode code points, as JSON Schema's length keywords do.
pub fn code_points(text: &str) -> u64 {
    text.chars().count() as u64
}

/// Checks `minLength`/`maxLength` (in code points, not bytes or UTF-16 units).
pub fn check_length(text: &str, min: Option<u64>, max: Option<u64>) -> Result<(), ConstraintError> {
    // Byte length bounds code points from above, so long strings skip counting when they can.
    if let Some(max) = max {
        if text.len() as u64 > max {
            let n = code_points(text);
            if n > max {
                return Err(ConstraintError::new(
                    "maxLength",
                    format!("the string has {n} characters; at most {max} are allowed"),
                ));
            }
        }
    }
    if let Some(min) = min {
        let n = code_points(text);
        if n < min {
            return Err(ConstraintError::new(
                "minLength",
                format!("the string has {n} characters; at least {min} are required"),
            ));
        }
    }
    Ok(())
}

/// Checks `pattern`: an ECMA-262 regular expression, matched anywhere in the string.
/// `regex` is `pattern` compiled; a simple pattern (`^\d+\.\d+\.\d+$`) is decided
/// without it, with the same verdict.
pub fn check_pattern(
    text: &str,
    regex: &regress::Regex,
    pattern: &str,
) -> Result<(), ConstraintError> {
    let matched =
        crate::simple_pattern::matches(pattern, text).unwrap_or_else(|| regex.find(text).is_some());
    if matched {
        Ok(())
    } else {
        Err(ConstraintError::new(
            "pattern",
            format!("{text:?} does not match the pattern {pattern:?}"),
        ))
    }
}

/// A schema `pattern` compiled once, for checks that run on every value: the simple form
/// when the pattern has one (decided without a regex engine, with the same verdict), else
/// the ECMA-262 engine. [`check_pattern`] reads the simple form again on every call; a
/// generated type holds one of these in a static instead.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    simple: Option<crate::simple_pattern::SimplePattern>,
    regex: Option<regress::Regex>,
}

impl Pattern {
    /// `source` read as a simple pattern, or compiled as ECMA-262 when it is not one. A
    /// pattern that does not compile matches nothing, and [`Pattern::check`] says so.
    pub fn new(source: &str) -> Pattern {
        let simple = crate::simple_pattern::SimplePattern::parse(source);
        let regex = match simple {
            Some(_) => None,
            None => regress::Regex::new(source).ok(),
        };
        Pattern {
            source: source.to_owned(),
            simple,
            regex,
        }
    }

    /// The pattern as the schema spells it.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether `text` matches anywhere, as JSON Schema's `pattern` does; `None` when the
    /// pattern did not compile.
    pub fn is_match(&self, text: &str) -> Option<bool> {
        match (&self.simple, &self.regex) {
            (Some(simple), _) => Some(simple.is_match(text)),
            (None, Some(regex)) => Some(regex.find(text).is_some()),
            (None, None) => None,
        }
    }

    /// Checks `pattern` on `text`, with [`check_pattern`]'s error.
    pub fn check(&self, text: &str) -> Result<(), ConstraintError> {
        match self.is_match(text) {
            Some(true) => Ok(()),
            Some(false) => Err(ConstraintError::new(
                "pattern",
                format!("{text:?} does not match the pattern {:?}", self.source),
            )),
            None => Err(ConstraintError::new(
                "pattern",
                format!("the pattern {:?} does not compile", self.source),
            )),
        }
    }
}

/// Numeric bounds as a schema states them.
#[derive(Debug, Clone, Copy, Default)]
pub struct NumberBounds {
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum`.
    pub exclusive_minimum: Option<f64>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: Option<f64>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
}

/// Checks numeric bounds on a finite number.
pub fn check_number(value: f64, bounds: &NumberBounds) -> Result<(), ConstraintError> {
    if !value.is_finite() {
        return Err(ConstraintError::new(
            "type",
            format!("{value} is not a finite number; JSON has no NaN or infinity"),
        ));
    }
    if let Some(min) = bounds.minimum {
        if value < min {
            return Err(ConstraintError::new(
                "minimum",
                format!("{value} is less than the minimum {min}"),
            ));
        }
    }
    if let Some(max) = bounds.maximum {
        if value > max {
            return Err(ConstraintError::new(
                "maximum",
                format!("{value} is greater than the maximum {max}"),
            ));
        }
    }
    if let Some(min) = bounds.exclusive_minimum {
        if value <= min {
            return Err(ConstraintError::new(
                "exclusiveMinimum",
                format!("{value} must be greater than {min}"),
            ));
        }
    }
    if let Some(max) = bounds.exclusive_maximum {
        if value >= max {
            return Err(ConstraintError::new(
                "exclusiveMaximum",
                format!("{value} must be less than {max}"),
            ));
        }
    }
    if let Some(m) = bounds.multiple_of {
        if !is_multiple_of(value, m) {
            return Err(ConstraintError::new(
                "multipleOf",
                format!("{value} is not a multiple of {m}"),
            ));
        }
    }
    Ok(())
}

/// `value` is an integer multiple of `m`, as the schema's check (and `jsonschema`) decides
/// it: `19.99` is a multiple of `0.01`, though `19.99 / 0.01` is not whole in floats.
fn is_multiple_of(value: f64, m: f64) -> bool {
    serde_json::Number::from_f64(value)
        .is_some_and(|n| crate::schema::number::is_multiple_of(&n, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_code_points() {
        assert!(check_length(&"é".repeat(255), Some(1), Some(255)).is_ok());
        let err = check_length(&"é".repeat(256), Some(1), Some(255)).unwrap_err();
        assert_eq!(err.keyword, "maxLength");
        assert_eq!(
            err.message,
            "the string has 256 characters; at most 255 are allowed"
        );
        assert_eq!(
            check_length("", Some(1), None).unwrap_err().keyword,
            "minLength"
        );
        // One astral code point is two UTF-16 units but one character.
        assert!(check_length("😀", Some(1), Some(1)).is_ok());
    }

    #[test]
    fn number_bounds() {
        let b = NumberBounds {
            minimum: Some(0.0),
            ..Default::default()
        };
        assert!(check_number(0.0, &b).is_ok());
        assert_eq!(check_number(-0.5, &b).unwrap_err().keyword, "minimum");
        let m = NumberBounds {
            multiple_of: Some(0.5),
            ..Default::default()
        };
        assert!(check_number(2.5, &m).is_ok());
        assert_eq!(check_number(2.25, &m).unwrap_err().keyword, "multipleOf");
        assert_eq!(check_number(f64::NAN, &b).unwrap_err().keyword, "type");
    }

    /// A constrained number's `multipleOf` decides as the schema's check does: `0.07`,
    /// `0.29` and `19.99` are multiples of `0.01` (they were refused: their quotients by
    /// `0.01` are not whole in floats), `0.075` is not one of `0.02`.
    #[test]
    fn multiple_of_agrees_with_the_schema_check() {
        let bounds = |m: f64| NumberBounds {
            multiple_of: Some(m),
            ..Default::default()
        };
        for v in [0.07, 0.29, 19.99, 0.05, 1.1] {
            assert!(check_number(v, &bounds(0.01)).is_ok(), "{v}");
        }
        assert!(check_number(0.075, &bounds(0.02)).is_err());
        for m in [0.01, 0.02, 0.05, 0.1, 0.3, 0.5, 2.0, 2.5] {
            let schema =
                crate::schema::CompiledSchema::compile(&serde_json::json!({"multipleOf": m}))
                    .unwrap_or_else(|e| panic!("{e}"));
            for cents in -300..3000 {
                let v = f64::from(cents) / 100.0;
                let expected = schema.is_valid(schema.root(), &serde_json::json!(v));
                assert_eq!(
                    check_number(v, &bounds(m)).is_ok(),
                    expected,
                    "{v} multipleOf {m}"
                );
            }
        }
    }
}
