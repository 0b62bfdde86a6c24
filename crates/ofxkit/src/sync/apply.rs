//! Applying synchronization messages and records to a [`SyncState`].

use ofxkit_syntax::shown;

use crate::diagnostic::Severity;
use crate::model::{
    Action, Direction, Model, PayeeRecord, Payment, RecurringPayment, SyncKind, SyncMessage,
    Wrapper,
};
use crate::sync::entries::{AccountKey, PayeeEntry, PaymentDetails, PaymentEntry, RecurringEntry};
use crate::sync::report::ApplyReport;
use crate::sync::{Pending, SyncState};

/// A record in file order, for [`SyncState::apply_responses`].
enum Item<'m, 't> {
    Sync(&'m SyncMessage<'t>),
    Payment(&'m Payment<'t>),
    Payee(&'m PayeeRecord<'t>),
    Recurring(&'m RecurringPayment<'t>),
}

impl SyncState {
    /// Applies one synchronization message.
    ///
    /// A response's records change the objects and its `TOKEN` becomes the channel's next
    /// token; a response already applied (its token seen before) is skipped. A request
    /// changes no object: a `REFRESH`Y or `TOKENONLY`Y one says how its response is to be
    /// read. See the [module documentation](crate::sync) for every rule.
    ///
    /// ```
    /// use ofxkit::sync::SyncState;
    /// let doc = ofxkit::parse(b"<OFX><BILLPAYMSGSRSV1><PMTSYNCRS><TOKEN>7<LOSTSYNC>Y\
    ///   <BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM>\
    ///   <PMTTRNRS><TRNUID>0<STATUS><CODE>0<SEVERITY>INFO</STATUS>\
    ///   <PMTCANCRS><SRVRTID>S9</PMTCANCRS></PMTTRNRS>\
    ///   </PMTSYNCRS></BILLPAYMSGSRSV1></OFX>")?;
    /// let model = doc.model();
    /// let mut state = SyncState::new();
    /// let report = state.apply(&model.sync[0]);
    /// assert!(report.has("W-SYNC-LOST-SYNC"));
    /// assert!(report.has("W-SYNC-UNKNOWN-ID")); // S9 was never seen
    /// assert!(state.channels[0].needs_refresh);
    /// assert_eq!(state.channels[0].token.as_deref(), Some("7"));
    /// # Ok::<(), ofxkit::Error>(())
    /// ```
    pub fn apply(&mut self, message: &SyncMessage<'_>) -> ApplyReport {
        let mut report = ApplyReport::default();
        let account = match message.entity {
            SyncKind::Payees => None,
            _ => message.account.as_ref().map(AccountKey::of),
        };
        let label = channel_label(message.entity, account.as_ref());
        if message.direction == Direction::Request {
            let pending = if message.refresh == Some(true) {
                Some(Pending::Refresh)
            } else if message.token_only == Some(true) {
                Some(Pending::TokenOnly)
            } else {
                None
            };
            self.channel_mut(message.entity, account).pending = pending;
            return report;
        }
        let channel = self.channel_mut(message.entity, account.clone());
        match message.token {
            Some(token) if channel.seen.iter().any(|t| t == token) => {
                // The answer to a waiting REFRESH or TOKENONLY came, even if nothing is new.
                channel.pending = None;
                report.skipped += 1;
                report.note(
                    "I-SYNC-ALREADY-APPLIED",
                    Severity::Info,
                    message.span,
                    format!(
                        "<{}> token {} ({label}) was already applied; skipped",
                        message.kind,
                        shown(token)
                    ),
                );
                return report;
            }
            Some(token) => {
                if let Some(current) = channel.token.as_deref()
                    && is_older(token, current)
                {
                    channel.pending = None;
                    report.skipped += 1;
                    report.note(
                        "W-SYNC-STALE-TOKEN",
                        Severity::Warning,
                        message.span,
                        format!(
                            "<{}> token {} ({label}) is older than the state's token {}; skipped",
                            message.kind,
                            shown(token),
                            shown(current)
                        ),
                    );
                    return report;
                }
            }
            None => report.note(
                "W-SYNC-NO-TOKEN",
                Severity::Warning,
                message.span,
                format!(
                    "<{}> ({label}) has no <TOKEN>: applied, but the next token is unknown and a \
                     second application cannot be recognised",
                    message.kind
                ),
            ),
        }
        let pending = channel.pending.take();
        if message.lost_sync == Some(true) {
            channel.needs_refresh = true;
            report.note(
                "W-SYNC-LOST-SYNC",
                Severity::Warning,
                message.span,
                format!(
                    "<{}> ({label}) says LOSTSYNC: responses were lost; send <REFRESH>Y to get \
                     the current state",
                    message.kind
                ),
            );
        }
        if let Some(code) = message.sync_error {
            let meaning = code
                .trim()
                .parse()
                .ok()
                .and_then(crate::codes::status::lookup)
                .map_or("unknown code", |i| i.meaning);
            report.note(
                "W-SYNC-ERROR",
                Severity::Warning,
                message.span,
                format!(
                    "<{}> ({label}) reports SYNCERROR {} ({meaning})",
                    message.kind,
                    shown(code)
                ),
            );
        }
        report.applied += 1;
        match pending {
            Some(Pending::TokenOnly) => {
                report.note(
                    "I-SYNC-TOKEN-ONLY",
                    Severity::Info,
                    message.span,
                    format!("<{}> ({label}) answers TOKENONLY: only the token moves", message.kind),
                );
            }
            Some(Pending::Refresh) => {
                self.refresh(message, account.as_ref(), &mut report);
                self.apply_records(message, &mut report);
            }
            None => self.apply_records(message, &mut report),
        }
        let channel = self.channel_mut(message.entity, account);
        if pending == Some(Pending::Refresh) {
            channel.needs_refresh = false;
        }
        if let Some(token) = message.token {
            channel.token = Some(token.to_owned());
            channel.seen.push(token.to_owned());
        }
        report
    }

    /// Applies every synchronization message of a file, in file order.
    pub fn apply_model(&mut self, model: &Model<'_>) -> ApplyReport {
        let mut report = ApplyReport::default();
        for m in &model.sync {
            report.merge(self.apply(m));
        }
        report
    }

    /// Applies every synchronization message of a parsed file, in file order (the same as
    /// [`apply_model`](Self::apply_model) on its model).
    pub fn apply_document(&mut self, doc: &crate::Document<'_>) -> ApplyReport {
        self.apply_model(doc.model())
    }

    /// Applies a file's synchronization responses and also its responses outside them
    /// (answers to `PMTRQ`, `RECPMTMODRQ`, …), in file order; requests are left out. Plain
    /// responses carry no token, so
    /// applying the same file twice is only safe for synchronization responses: use this to
    /// build a state from one set of files (as `ofxkit schedule` does), and
    /// [`apply_model`](Self::apply_model) to keep a state in step.
    pub fn apply_responses(&mut self, model: &Model<'_>) -> ApplyReport {
        let mut items: Vec<(u32, Item<'_, '_>)> = Vec::new();
        let response = Direction::Response;
        items.extend(
            model
                .sync
                .iter()
                .filter(|m| m.direction == response)
                .map(|m| (m.span.start, Item::Sync(m))),
        );
        items.extend(
            model
                .payments
                .iter()
                .filter(|p| p.direction == response)
                .map(|p| (p.span.start, Item::Payment(p))),
        );
        items.extend(
            model
                .payees
                .iter()
                .filter(|p| p.direction == response)
                .map(|p| (p.span.start, Item::Payee(p))),
        );
        items.extend(
            model
                .recurring
                .iter()
                .filter(|r| r.direction == response)
                .map(|r| (r.span.start, Item::Recurring(r))),
        );
        items.sort_by_key(|(start, _)| *start);
        let mut report = ApplyReport::default();
        for (_, item) in items {
            match item {
                Item::Sync(m) => report.merge(self.apply(m)),
                Item::Payment(p) => self.apply_payment(p, None, &mut report),
                Item::Payee(p) => self.apply_payee(p, &mut report),
                Item::Recurring(r) => self.apply_recurring(r, None, &mut report),
            }
        }
        report
    }

    fn apply_records(&mut self, message: &SyncMessage<'_>, report: &mut ApplyReport) {
        let account = message.account.as_ref().map(AccountKey::of);
        for p in &message.payments {
            self.apply_payment(p, account.as_ref(), report);
        }
        for p in &message.payees {
            self.apply_payee(p, report);
        }
        for r in &message.recurring {
            self.apply_recurring(r, account.as_ref(), report);
        }
        for r in &message.responses {
            if let Some(s) = r.status.as_ref().filter(|s| s.is_error) {
                report.note(
                    "W-SYNC-STATUS-ERROR",
                    Severity::Warning,
                    r.span,
                    format!(
                        "<{}> TRNUID {}: status {} ({}){}; no change",
                        r.kind,
                        shown(r.transaction_uid.unwrap_or("?")),
                        shown(s.code_text),
                        s.meaning.unwrap_or("unknown code"),
                        s.message.map(|m| format!(": {}", shown(m))).unwrap_or_default()
                    ),
                );
            }
        }
    }

    /// A refresh answer: objects of the channel that it leaves out are gone.
    fn refresh(
        &mut self,
        message: &SyncMessage<'_>,
        account: Option<&AccountKey>,
        report: &mut ApplyReport,
    ) {
        let in_channel = |a: Option<&AccountKey>| account.is_none() || a == account;
        let mut dropped = 0;
        match message.entity {
            SyncKind::Payments => {
                let kept: Vec<&str> = message.payments.iter().filter_map(|p| p.server_id).collect();
                for (id, p) in &mut self.payments {
                    if !p.cancelled
                        && in_channel(p.details.account.as_ref())
                        && !kept.contains(&id.as_str())
                    {
                        p.cancelled = true;
                        dropped += 1;
                    }
                }
            }
            SyncKind::Payees => {
                let kept: Vec<&str> = message.payees.iter().filter_map(|p| p.list_id).collect();
                for (id, p) in &mut self.payees {
                    if !p.deleted && !kept.contains(&id.as_str()) {
                        p.deleted = true;
                        dropped += 1;
                    }
                }
            }
            SyncKind::Recurring => {
                let kept: Vec<&str> =
                    message.recurring.iter().filter_map(|r| r.recurring_id).collect();
                for (id, r) in &mut self.recurring {
                    if !r.cancelled
                        && in_channel(r.details.account.as_ref())
                        && !kept.contains(&id.as_str())
                    {
                        r.cancelled = true;
                        dropped += 1;
                    }
                }
            }
        }
        report.removed += dropped;
        report.note(
            "I-SYNC-REFRESH",
            Severity::Info,
            message.span,
            format!(
                "<{}> ({}) answers REFRESH: it replaces the {} held; {dropped} not in it marked \
                 gone",
                message.kind,
                channel_label(message.entity, account),
                message.entity.as_str()
            ),
        );
    }

    fn apply_payment(
        &mut self,
        p: &Payment<'_>,
        account: Option<&AccountKey>,
        report: &mut ApplyReport,
    ) {
        if !is_change(p.kind, p.direction, p.wrapper.as_ref(), report, p.span) {
            return;
        }
        // OFC responses do not say what they answer (add or change), and an OFC inquiry's
        // answer is free text: nothing to apply.
        if p.action.is_none() || (p.action == Some(Action::Inquiry) && p.processing.is_none()) {
            return;
        }
        let Some(id) = p.server_id else {
            return no_id(report, p.kind, "SRVRTID", p.span);
        };
        match p.action {
            Some(Action::Add) => {
                let Some(mut entry) = PaymentEntry::from_record(p) else { return };
                if entry.details.account.is_none() {
                    entry.details.account = account.cloned();
                }
                let cancelled = entry.cancelled;
                match self.payments.insert(id.to_owned(), entry) {
                    Some(_) => report.modified += 1,
                    None => report.added += 1,
                }
                if cancelled {
                    report.removed += 1;
                }
            }
            Some(Action::Modify | Action::Cancel | Action::Inquiry) => {
                let Some(entry) = self.payments.get_mut(id) else {
                    return unknown_id(report, p.kind, "SRVRTID", id, p.span);
                };
                match p.action {
                    Some(Action::Cancel) => {
                        entry.cancelled = true;
                        report.removed += 1;
                    }
                    Some(Action::Modify) => {
                        if let Some(info) = &p.info {
                            let old_account = entry.details.account.take();
                            entry.details = PaymentDetails::of(info);
                            if entry.details.account.is_none() {
                                entry.details.account = old_account;
                            }
                        }
                        entry.set_processing(p);
                        report.modified += 1;
                    }
                    _ => {
                        entry.set_processing(p);
                        report.modified += 1;
                    }
                }
            }
            _ => {}
        }
    }

    fn apply_payee(&mut self, r: &PayeeRecord<'_>, report: &mut ApplyReport) {
        if !is_change(r.kind, r.direction, r.wrapper.as_ref(), report, r.span) {
            return;
        }
        // OFC responses do not say what they answer (add or change): nothing to apply.
        if r.action.is_none() {
            return;
        }
        let Some(id) = r.list_id else {
            // OFC PAYEERS carries a PAYEEID, not a list entry: nothing to key it by.
            return no_id(report, r.kind, "PAYEELSTID", r.span);
        };
        match r.action {
            Some(Action::Add) => {
                let Some(entry) = PayeeEntry::from_record(r) else { return };
                match self.payees.insert(id.to_owned(), entry) {
                    Some(_) => report.modified += 1,
                    None => report.added += 1,
                }
            }
            Some(Action::Modify | Action::Delete) => {
                let Some(entry) = self.payees.get_mut(id) else {
                    return unknown_id(report, r.kind, "PAYEELSTID", id, r.span);
                };
                if r.action == Some(Action::Delete) {
                    entry.deleted = true;
                    report.removed += 1;
                } else {
                    entry.modify(r);
                    report.modified += 1;
                }
            }
            _ => {}
        }
    }

    fn apply_recurring(
        &mut self,
        r: &RecurringPayment<'_>,
        account: Option<&AccountKey>,
        report: &mut ApplyReport,
    ) {
        if !is_change(r.kind, r.direction, r.wrapper.as_ref(), report, r.span) {
            return;
        }
        // OFC responses do not say what they answer (add or change): nothing to apply.
        if r.action.is_none() {
            return;
        }
        let Some(id) = r.recurring_id else {
            return no_id(report, r.kind, "RECSRVRTID", r.span);
        };
        match r.action {
            Some(Action::Add) => {
                let Some(mut entry) = RecurringEntry::from_record(r) else { return };
                if entry.details.account.is_none() {
                    entry.details.account = account.cloned();
                }
                match self.recurring.insert(id.to_owned(), entry) {
                    Some(_) => report.modified += 1,
                    None => report.added += 1,
                }
            }
            Some(Action::Modify) => {
                let Some(entry) = self.recurring.get_mut(id) else {
                    return unknown_id(report, r.kind, "RECSRVRTID", id, r.span);
                };
                let old_account = entry.details.account.clone();
                entry.modify(r);
                if entry.details.account.is_none() {
                    entry.details.account = old_account;
                }
                report.modified += 1;
                if r.modify_pending == Some(true) {
                    let pending = self
                        .payments
                        .values()
                        .filter(|p| p.recurring_id.as_deref() == Some(id) && !p.cancelled)
                        .filter(|p| {
                            matches!(p.processing_code.as_deref(), None | Some("WILLPROCESSON"))
                        })
                        .count();
                    if pending > 0 {
                        report.note(
                            "I-SYNC-MODIFY-PENDING",
                            Severity::Info,
                            r.span,
                            format!(
                                "<{}> {} with MODPENDING: {pending} pending payment(s) of the \
                                 model keep their last form until the server sends their own \
                                 changes",
                                r.kind,
                                shown(id)
                            ),
                        );
                    }
                }
            }
            Some(Action::Cancel) => {
                let Some(entry) = self.recurring.get_mut(id) else {
                    return unknown_id(report, r.kind, "RECSRVRTID", id, r.span);
                };
                entry.cancelled = true;
                report.removed += 1;
                if r.cancel_pending == Some(true) {
                    let mut n = 0;
                    for p in self.payments.values_mut() {
                        let pending =
                            matches!(p.processing_code.as_deref(), None | Some("WILLPROCESSON"));
                        if p.recurring_id.as_deref() == Some(id) && pending && !p.cancelled {
                            p.cancelled = true;
                            n += 1;
                        }
                    }
                    report.removed += n;
                    report.note(
                        "I-SYNC-CANCEL-PENDING",
                        Severity::Info,
                        r.span,
                        format!(
                            "<{}> {} with CANPENDING: {n} pending payment(s) of the model cancelled",
                            r.kind,
                            shown(id)
                        ),
                    );
                }
            }
            _ => {}
        }
    }
}

fn channel_label(kind: SyncKind, account: Option<&AccountKey>) -> String {
    match account {
        Some(a) => format!("{} of {}", kind.as_str(), shown(&a.to_string())),
        None => kind.as_str().to_owned(),
    }
}

/// Numeric tokens compare as numbers; any other token is opaque (never older).
fn is_older(token: &str, current: &str) -> bool {
    match (token.trim().parse::<u128>(), current.trim().parse::<u128>()) {
        (Ok(t), Ok(c)) => t < c,
        _ => false,
    }
}

/// True when the record is a successful response; reports why not otherwise.
fn is_change(
    kind: &str,
    direction: Direction,
    wrapper: Option<&Wrapper<'_>>,
    report: &mut ApplyReport,
    span: crate::diagnostic::Span,
) -> bool {
    if direction == Direction::Request {
        report.note(
            "W-SYNC-NOT-A-CHANGE",
            Severity::Warning,
            span,
            format!("<{kind}> is a request, not a change the server made; not applied"),
        );
        return false;
    }
    if let Some(w) = wrapper
        && let Some(s) = w.status.as_ref().filter(|s| s.is_error)
    {
        report.note(
            "W-SYNC-STATUS-ERROR",
            Severity::Warning,
            span,
            format!(
                "<{}> TRNUID {}: status {} ({}){}; the <{kind}> is not applied",
                w.kind,
                shown(w.transaction_uid.unwrap_or("?")),
                shown(s.code_text),
                s.meaning.unwrap_or("unknown code"),
                s.message.map(|m| format!(": {}", shown(m))).unwrap_or_default()
            ),
        );
        return false;
    }
    true
}

fn no_id(report: &mut ApplyReport, kind: &str, id: &str, span: crate::diagnostic::Span) {
    report.note(
        "W-SYNC-NO-ID",
        Severity::Warning,
        span,
        format!("<{kind}> has no <{id}>; not applied"),
    );
}

fn unknown_id(
    report: &mut ApplyReport,
    kind: &str,
    field: &str,
    id: &str,
    span: crate::diagnostic::Span,
) {
    report.note(
        "W-SYNC-UNKNOWN-ID",
        Severity::Warning,
        span,
        format!("<{kind}> names {field} {}, which the state does not hold; not applied", shown(id)),
    );
}
