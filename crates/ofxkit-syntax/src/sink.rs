//! Collects diagnostics, caps them per code, and picks each one's severity from the leniency
//! switches.

use crate::error::{Code, Diagnostic, Severity};
use crate::limits::Leniency;
use crate::span::Span;

/// What a [`Sink`] ends with.
pub(crate) struct Findings {
    /// The findings kept, then one per capped code.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Each capped code and how many of its findings were left out.
    pub(crate) suppressed: Vec<(Code, u64)>,
    /// Where each error the cap left out is, and its code.
    pub(crate) left_out_errors: Vec<(u32, &'static str)>,
}

pub(crate) struct Sink {
    diagnostics: Vec<Diagnostic>,
    counts: Vec<Count>,
    /// Most findings kept per code; 0 keeps them all.
    cap: u32,
    /// Keep nothing (for a document whose findings nobody reads).
    discard: bool,
    leniency: Leniency,
    /// Findings reported so far, stored or not.
    total: u32,
    /// Where each error the cap left out is, and its code: a converter marks the rows they
    /// fall in whatever the cap kept (8 bytes each).
    left_out_errors: Vec<(u32, &'static str)>,
}

/// How many findings of one code were reported, and where the first one left out is.
struct Count {
    code: Code,
    reported: u32,
    first_left_out: Span,
}

impl Sink {
    /// A sink that keeps at most `cap` findings per code (0: all of them).
    pub(crate) fn new(cap: u32, leniency: Leniency) -> Self {
        Sink {
            diagnostics: Vec::new(),
            counts: Vec::new(),
            cap,
            discard: false,
            leniency,
            total: 0,
            left_out_errors: Vec::new(),
        }
    }

    /// An empty sink with the same leniency that keeps every finding: to see what reporting
    /// something would report.
    pub(crate) fn probe(&self) -> Sink {
        Sink::new(0, self.leniency)
    }

    /// A sink that keeps nothing.
    pub(crate) fn discarding() -> Self {
        Sink { discard: true, ..Sink::new(0, Leniency::default()) }
    }

    /// The severity a code gets under the current leniency.
    pub(crate) fn severity(&self, code: Code) -> Severity {
        let l = &self.leniency;
        let lenient = match code {
            Code::LowercaseTag => l.lowercase_tags,
            Code::BareAmpersand | Code::UnknownEntity | Code::SurrogateCharRef => l.bare_ampersand,
            Code::StrayEndTag
            | Code::RedundantEndTag
            | Code::ReopenedElement
            | Code::EmptyElementInferred
            | Code::StrayText
            | Code::OmittedEndTag
            | Code::MissingEndTag => l.misnested_tags,
            Code::SelfClosingTag | Code::AttributesIgnored => l.xml_isms,
            Code::EmptyElement => l.empty_elements,
            Code::LeadingJunk
            | Code::HeaderNoBlankLine
            | Code::HeaderOneLine
            | Code::HeaderMissingField
            | Code::HeaderUnknownField
            | Code::HeaderBadValue
            | Code::HeaderDuplicateField
            | Code::HeaderOddForm
            | Code::NoHeader
            | Code::TrailingContent
            | Code::DeclarationIgnored
            | Code::ProcessingInstruction => l.header_quirks,
            Code::CharsetMismatch | Code::UnknownCharset | Code::InvalidEncoding => {
                l.charset_mismatch
            }
            Code::SgmlBodyUnderXmlHeader => l.sgml_body_under_xml_header,
            Code::Utf16Transcoded => true,
            _ => false,
        };
        if lenient { Severity::Warning } else { Severity::Error }
    }

    /// Records a finding; the message is only built when it will be stored.
    pub(crate) fn report(&mut self, code: Code, span: Span, message: impl FnOnce() -> String) {
        self.report_with_help(code, span, message, None);
    }

    pub(crate) fn report_with_help(
        &mut self,
        code: Code,
        span: Span,
        message: impl FnOnce() -> String,
        help: Option<&str>,
    ) {
        self.total = self.total.wrapping_add(1);
        if self.discard {
            return;
        }
        let count = match self.counts.iter_mut().find(|c| c.code == code) {
            Some(c) => c,
            None => {
                self.counts.push(Count { code, reported: 0, first_left_out: span });
                let Some(c) = self.counts.last_mut() else { return };
                c
            }
        };
        count.reported = count.reported.saturating_add(1);
        if self.cap != 0 && count.reported > self.cap {
            if count.reported == self.cap + 1 {
                count.first_left_out = span;
            }
            if self.severity(code) == Severity::Error {
                self.left_out_errors.push((span.start, code.as_str()));
            }
            return;
        }
        let mut d = Diagnostic::new(code, self.severity(code), span, message());
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.diagnostics.push(d);
    }

    /// How many findings were reported so far (stored or not): equal before and after a
    /// stretch of input when nothing in it was reported.
    pub(crate) fn total(&self) -> u32 {
        self.total
    }

    /// The diagnostics in input order, then one per code that reached the cap (in the order
    /// of the first one each left out), saying how many were left out; those counts; and the
    /// positions of the errors left out.
    pub(crate) fn finish(mut self) -> Findings {
        self.diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
        let mut capped: Vec<&Count> =
            self.counts.iter().filter(|c| self.cap != 0 && c.reported > self.cap).collect();
        capped.sort_by_key(|c| (c.first_left_out.start, c.first_left_out.end));
        let mut suppressed = Vec::with_capacity(capped.len());
        for c in capped {
            let left_out = u64::from(c.reported - self.cap);
            let message = left_out_message(c.code.as_str(), left_out);
            self.diagnostics.push(Diagnostic::new(
                c.code,
                self.severity(c.code),
                c.first_left_out,
                message,
            ));
            suppressed.push((c.code, left_out));
        }
        Findings {
            diagnostics: self.diagnostics,
            suppressed,
            left_out_errors: self.left_out_errors,
        }
    }
}

/// The message of the diagnostic that stands for the findings of `code` left out by the
/// cap ([`Limits::max_findings_per_code`](crate::Limits::max_findings_per_code)), with the
/// count written in groups of three digits.
///
/// ```
/// assert_eq!(
///     ofxkit_syntax::left_out_message("W-UNKNOWN-ELEMENT", 123_456),
///     "… and 123,456 more W-UNKNOWN-ELEMENT findings in this file were not kept"
/// );
/// ```
pub fn left_out_message(code: &str, left_out: u64) -> String {
    let digits = left_out.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(d);
    }
    format!("… and {grouped} more {code} findings in this file were not kept")
}
