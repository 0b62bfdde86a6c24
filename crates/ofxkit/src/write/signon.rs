//! The sign-on written for a file that has none.

use crate::write::node::Node;

/// The `MESSAGE` of the `STATUS` of a sign-on response the writer made up because the source
/// had none (OFC statement files never do): a reader can tell such a sign-on by it.
pub const SYNTHESIZED_SIGNON: &str = "ofxkit: sign-on synthesized, the source file had none";

/// The anonymous `USERID` and `USERPASS` of the OFX specification, used in a sign-on request
/// the writer made up.
pub const ANONYMOUS: &str = "anonymous00000000000000000000000";

/// The sign-on message set for a document without one: a response's `SONRS` (or a request's
/// anonymous `SONRQ`), dated `date` (the latest date of the document).
pub(crate) fn synthesized(request: bool, date: Option<String>) -> Node {
    let date = date.unwrap_or_else(|| "19700101".to_owned());
    if request {
        let sonrq = Node::aggregate(
            "SONRQ",
            vec![
                Node::leaf("DTCLIENT", date),
                Node::leaf("USERID", ANONYMOUS),
                Node::leaf("USERPASS", ANONYMOUS),
                Node::leaf("LANGUAGE", "ENG"),
                Node::leaf("APPID", "OFXKIT"),
                Node::leaf("APPVER", "0100"),
            ],
        );
        return Node::aggregate("SIGNONMSGSRQV1", vec![sonrq]);
    }
    let status = Node::aggregate(
        "STATUS",
        vec![
            Node::leaf("CODE", "0"),
            Node::leaf("SEVERITY", "INFO"),
            Node::leaf("MESSAGE", SYNTHESIZED_SIGNON),
        ],
    );
    let sonrs = Node::aggregate(
        "SONRS",
        vec![status, Node::leaf("DTSERVER", date), Node::leaf("LANGUAGE", "ENG")],
    );
    Node::aggregate("SIGNONMSGSRSV1", vec![sonrs])
}

/// True for a message set's name that says the document is a request.
pub(crate) fn is_request_set(name: &str) -> bool {
    name.ends_with("RQV1")
}

/// True for a sign-on message set, or a sign-on itself (some files have it directly under
/// the root, or in another message set, and readers take it there).
pub(crate) fn is_signon(name: &str) -> bool {
    name.starts_with("SIGNONMSGS") || name == "SONRS" || name == "SONRQ"
}

/// True for a message set (`…MSGSRSV1`, `…MSGSRQV2`, …), where a sign-on may be.
pub(crate) fn is_message_set(name: &str) -> bool {
    ["MSGSRSV1", "MSGSRSV2", "MSGSRQV1", "MSGSRQV2"].iter().any(|s| name.ends_with(s))
}
