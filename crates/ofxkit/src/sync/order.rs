//! The order to replay synchronization messages from many files in.

use std::collections::BTreeMap;

use crate::model::{Direction, SyncKind, SyncMessage};
use crate::sync::entries::AccountKey;

/// The order to apply `messages` in, as indices into it: the given (file) order, except that
/// the responses of one channel (message kind and account) whose tokens are all numbers are
/// applied in increasing token order, in the places those responses hold. Requests and
/// responses of other channels keep their places.
///
/// ```
/// use ofxkit::sync::replay_order;
/// let a = ofxkit::parse(b"<OFX><BILLPAYMSGSRSV1><PAYEESYNCRS><TOKEN>10</PAYEESYNCRS>\
///   </BILLPAYMSGSRSV1></OFX>")?;
/// let b = ofxkit::parse(b"<OFX><BILLPAYMSGSRSV1><PAYEESYNCRS><TOKEN>9</PAYEESYNCRS>\
///   </BILLPAYMSGSRSV1></OFX>")?;
/// let (ma, mb) = (a.model(), b.model());
/// // Files given as 10 then 9 (as `ls` sorts token-10.ofx before token-9.ofx): 9 goes first.
/// assert_eq!(replay_order(&[&ma.sync[0], &mb.sync[0]]), [1, 0]);
/// # Ok::<(), ofxkit::Error>(())
/// ```
pub fn replay_order(messages: &[&SyncMessage<'_>]) -> Vec<usize> {
    let keys: Vec<OrderKey> = messages.iter().map(|m| OrderKey::of(m)).collect();
    replay_order_of_keys(&keys)
}

/// What [`replay_order`] needs of one message, owned: its channel (message kind and
/// account), whether it is a response, and its token. Kept instead of the message, it lets a
/// caller drop a file's document once it has ordered its messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderKey {
    channel: (SyncKind, Option<AccountKey>),
    response: bool,
    token: Option<String>,
}

impl OrderKey {
    /// The key of `message`.
    pub fn of(message: &SyncMessage<'_>) -> OrderKey {
        let account = match message.entity {
            SyncKind::Payees => None,
            _ => message.account.as_ref().map(AccountKey::of),
        };
        OrderKey {
            channel: (message.entity, account),
            response: message.direction == Direction::Response,
            token: message.token.map(str::to_owned),
        }
    }
}

/// [`replay_order`] from the messages' keys.
///
/// ```
/// use ofxkit::sync::{OrderKey, replay_order_of_keys};
/// let a = ofxkit::parse(b"<OFX><BILLPAYMSGSRSV1><PAYEESYNCRS><TOKEN>10</PAYEESYNCRS>\
///   <PAYEESYNCRS><TOKEN>9</PAYEESYNCRS></BILLPAYMSGSRSV1></OFX>")?;
/// let keys: Vec<OrderKey> = a.model().sync.iter().map(OrderKey::of).collect();
/// drop(a);
/// assert_eq!(replay_order_of_keys(&keys), [1, 0]);
/// # Ok::<(), ofxkit::Error>(())
/// ```
pub fn replay_order_of_keys(keys: &[OrderKey]) -> Vec<usize> {
    let mut channels: BTreeMap<&(SyncKind, Option<AccountKey>), Vec<usize>> = BTreeMap::new();
    for (i, k) in keys.iter().enumerate() {
        if k.response {
            channels.entry(&k.channel).or_default().push(i);
        }
    }
    let mut order: Vec<usize> = (0..keys.len()).collect();
    for slots in channels.values() {
        let tokens: Option<Vec<u128>> = slots
            .iter()
            .map(|&i| {
                keys.get(i).and_then(|k| k.token.as_deref()).and_then(|t| t.trim().parse().ok())
            })
            .collect();
        let Some(tokens) = tokens else { continue };
        let mut sorted: Vec<(u128, usize)> =
            tokens.into_iter().zip(slots.iter().copied()).collect();
        sorted.sort_by_key(|&(token, _)| token);
        for (&slot, (_, index)) in slots.iter().zip(sorted) {
            if let Some(place) = order.get_mut(slot) {
                *place = index;
            }
        }
    }
    order
}
