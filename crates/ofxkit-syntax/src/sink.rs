//! Collects diagnostics, caps them per code, and picks each one's severity from the leniency
//! switches.

use crate::error::{Code, Diagnostic, Severity};
use crate::limits::Leniency;
use crate::span::Span;

pub(crate) struct Sink {
    diagnostics: Vec<Diagnostic>,
    counts: Vec<(Code, u32)>,
    cap: u32,
    leniency: Leniency,
    /// Findings reported so far, stored or not.
    total: u32,
}

impl Sink {
    pub(crate) fn new(cap: u32, leniency: Leniency) -> Self {
        Sink { diagnostics: Vec::new(), counts: Vec::new(), cap, leniency, total: 0 }
    }

    /// The severity a code gets under the current leniency.
    pub(crate) fn severity(&self, code: Code) -> Severity {
        let l = &self.leniency;
        let lenient = match code {
            Code::LowercaseTag => l.lowercase_tags,
            Code::BareAmpersand | Code::UnknownEntity => l.bare_ampersand,
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
            Code::Utf16Transcoded | Code::Truncated => true,
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
        let count = match self.counts.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                self.counts.push((code, 1));
                1
            }
        };
        if count > self.cap {
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

    /// The diagnostics in input order, plus one note per code that hit the cap.
    pub(crate) fn finish(mut self) -> Vec<Diagnostic> {
        for (code, n) in &self.counts {
            if *n > self.cap {
                let code = *code;
                let severity = self.severity(code);
                let last = self
                    .diagnostics
                    .iter()
                    .rev()
                    .find(|d| d.code == code)
                    .map(|d| d.span)
                    .unwrap_or_default();
                let mut d = Diagnostic::new(
                    Code::Truncated,
                    severity,
                    last,
                    format!("{} more {} diagnostics not shown ({} in all)", n - self.cap, code, n),
                );
                d.severity = severity;
                self.diagnostics.push(d);
            }
        }
        self.diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
        self.diagnostics
    }
}
