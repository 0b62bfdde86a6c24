//! The generated tables against facts read off the specification files by hand.

use ofxkit_schema::{Content, Minimization, Particle, Profile};

fn model(profile: Profile, name: &str) -> String {
    let def = profile.element(name).unwrap_or_else(|| panic!("{profile}: no {name}"));
    let model =
        def.content_model().unwrap_or_else(|| panic!("{profile}: {name} is not an aggregate"));
    model.to_string()
}

fn required(profile: Profile, name: &str) -> Vec<&'static str> {
    profile.element(name).unwrap().required_children()
}

fn allows(profile: Profile, parent: &str, child: &str) -> bool {
    profile.element(parent).unwrap().content_model().unwrap().allows(child)
}

#[test]
fn every_table_is_sorted_unique_and_closed() {
    for profile in Profile::ALL {
        let elements = profile.elements();
        assert!(elements.len() > 50, "{profile}: {} elements", elements.len());
        for pair in elements.windows(2) {
            assert!(
                pair[0].name() < pair[1].name(),
                "{profile}: {} ≥ {}",
                pair[0].name(),
                pair[1].name()
            );
        }
        for def in elements {
            assert_eq!(profile.element(def.name()), Some(def));
            if let Some(model) = def.content_model() {
                for child in model.names() {
                    assert!(
                        profile.element(child).is_some(),
                        "{profile}: {} names undeclared {child}",
                        def.name()
                    );
                }
            }
            // Minimization is recorded for the SGML profiles only.
            assert_eq!(
                def.minimization().is_some(),
                profile.is_sgml(),
                "{profile}: {}",
                def.name()
            );
        }
        assert_eq!(profile.element("NO-SUCH-ELEMENT"), None);
    }
}

#[test]
fn element_counts() {
    let count = |p: Profile| p.elements().len();
    assert_eq!(count(Profile::Ofc), 72);
    assert_eq!(count(Profile::Ofx160), 854);
    assert_eq!(count(Profile::Ofx201), 1034);
    assert_eq!(count(Profile::Ofx220), 1418);
}

#[test]
fn stmtrs() {
    for profile in [Profile::Ofx160, Profile::Ofx201, Profile::Ofx220] {
        assert_eq!(
            required(profile, "STMTRS"),
            ["CURDEF", "BANKACCTFROM", "LEDGERBAL"],
            "{profile}"
        );
        assert!(
            model(profile, "STMTRS").starts_with("(CURDEF, BANKACCTFROM, BANKTRANLIST?, "),
            "{profile}"
        );
    }
    assert_eq!(
        model(Profile::Ofx160, "STMTRS"),
        "(CURDEF, BANKACCTFROM, BANKTRANLIST?, LEDGERBAL, AVAILBAL?, MKTGINFO?)"
    );
    assert_eq!(
        model(Profile::Ofx201, "STMTRS"),
        "(CURDEF, BANKACCTFROM, BANKTRANLIST?, LEDGERBAL, AVAILBAL?, BALLIST?, MKTGINFO?)"
    );
    assert!(allows(Profile::Ofx220, "STMTRS", "BANKTRANLISTP"));
    assert!(!allows(Profile::Ofx160, "STMTRS", "BANKTRANLISTP"));
    assert!(Profile::Ofx220.element("BANKTRANLISTP").is_some());
    assert!(Profile::Ofx201.element("BANKTRANLISTP").is_none());
}

#[test]
fn ccstmtrs() {
    for profile in [Profile::Ofx160, Profile::Ofx201, Profile::Ofx220] {
        assert_eq!(
            required(profile, "CCSTMTRS"),
            ["CURDEF", "CCACCTFROM", "LEDGERBAL"],
            "{profile}"
        );
    }
    assert!(allows(Profile::Ofx220, "CCSTMTRS", "REWARDINFO"));
    assert!(!allows(Profile::Ofx201, "CCSTMTRS", "REWARDINFO"));
}

#[test]
fn stmttrn() {
    for profile in [Profile::Ofx160, Profile::Ofx201, Profile::Ofx220] {
        assert_eq!(
            required(profile, "STMTTRN"),
            ["TRNTYPE", "DTPOSTED", "TRNAMT", "FITID"],
            "{profile}"
        );
        let def = profile.element("STMTTRN").unwrap().content_model().unwrap();
        assert_eq!(def.max_count("NAME"), Some(1), "{profile}");
        assert_eq!(def.min_count("MEMO"), 0, "{profile}");
    }
    assert!(model(Profile::Ofx160, "STMTTRN").contains("(NAME | (PAYEE | PAYEE2))?"));
    assert!(model(Profile::Ofx160, "STMTTRN").contains("(MEMO | MEMO2)?"));
    assert!(allows(Profile::Ofx220, "STMTTRN", "EXTDNAME"));
    assert!(!allows(Profile::Ofx160, "STMTTRN", "EXTDNAME"));
    assert!(!allows(Profile::Ofx201, "STMTTRN", "EXTDNAME"));
    // maxOccurs="2" is kept as a bounded repetition.
    let ofx220 = Profile::Ofx220.element("STMTTRN").unwrap().content_model().unwrap();
    assert_eq!(ofx220.max_count("IMAGEDATA"), Some(2));
    assert!(model(Profile::Ofx220, "STMTTRN").contains("IMAGEDATA{0,2}"));
}

#[test]
fn sonrs_and_status() {
    for profile in [Profile::Ofx160, Profile::Ofx201, Profile::Ofx220] {
        assert_eq!(required(profile, "SONRS"), ["STATUS", "DTSERVER", "LANGUAGE"], "{profile}");
        assert_eq!(required(profile, "STATUS"), ["CODE", "SEVERITY"], "{profile}");
    }
    assert_eq!(model(Profile::Ofx160, "STATUS"), "(CODE, SEVERITY, (MESSAGE | MESSAGE2)?)");
    assert_eq!(model(Profile::Ofx201, "STATUS"), "(CODE, SEVERITY, MESSAGE?)");
    assert!(allows(Profile::Ofx160, "SONRS", "COUNTRY"));
    assert!(allows(Profile::Ofx220, "SONRS", "ACCESSKEY"));
    let severity = Profile::Ofx160.element("SEVERITY").unwrap();
    assert_eq!(severity.value_type(), Some("SEVERITYENUM"));
    assert_eq!(severity.enum_values(), ["INFO", "WARN", "ERROR"]);
    let severity = Profile::Ofx220.element("SEVERITY").unwrap();
    assert_eq!(severity.value_type(), Some("SeverityEnum"));
    assert_eq!(severity.enum_values(), ["INFO", "WARN", "ERROR"]);
}

#[test]
fn pmtinfo_and_pmtsyncrs() {
    for profile in [Profile::Ofx160, Profile::Ofx201, Profile::Ofx220] {
        assert_eq!(
            required(profile, "PMTINFO"),
            ["BANKACCTFROM", "TRNAMT", "PAYACCT", "DTDUE"],
            "{profile}: PAYEEID | PAYEE is a required choice, not a required name"
        );
        assert!(model(profile, "PMTINFO").contains("(PAYEEID | PAYEE)"), "{profile}");
    }
    // 1.6: TOKEN | TOKEN2, a required choice; 2.x: TOKEN.
    assert_eq!(required(Profile::Ofx160, "PMTSYNCRS"), ["BANKACCTFROM"]);
    assert_eq!(required(Profile::Ofx201, "PMTSYNCRS"), ["TOKEN", "BANKACCTFROM"]);
    // The sync macro, from a parameter entity (DTDs) or the abstract base type (XSD).
    assert_eq!(
        model(Profile::Ofx160, "PMTSYNCRS"),
        "(((TOKEN | TOKEN2), LOSTSYNC?, SYNCERROR?), BANKACCTFROM, PMTTRNRS*)"
    );
    assert_eq!(
        model(Profile::Ofx201, "PMTSYNCRS"),
        "((TOKEN, LOSTSYNC?), BANKACCTFROM, PMTTRNRS*)"
    );
    assert_eq!(
        model(Profile::Ofx220, "PMTSYNCRS"),
        "(TOKEN, LOSTSYNC?, BANKACCTFROM, OFXEXTENSION?, PMTTRNRS*)"
    );
    assert_eq!(required(Profile::Ofx220, "PMTSYNCRS"), ["TOKEN", "BANKACCTFROM"]);
    // The transaction macro: TRNUID, STATUS lead every …TRNRS.
    assert_eq!(required(Profile::Ofx220, "STMTTRNRS"), ["TRNUID", "STATUS"]);
    assert_eq!(model(Profile::Ofx160, "STMTTRNRS"), "((TRNUID, STATUS, CLTCOOKIE?), STMTRS?)");
}

#[test]
fn ofc() {
    let ofc = Profile::Ofc;
    assert_eq!(model(ofc, "STMTRS"), "(DTSTART, DTEND, LEDGER, STMTTRN*)");
    assert_eq!(
        model(ofc, "GENTRN"),
        "(TRNTYPE, DTPOSTED, TRNAMT, FITID?, CLTID?, SRVRTID?, CHKNUM?, SIC?, PAYEEID?, (PAYEE | NAME)?, ACCTTO?, MEMO*)"
    );
    assert_eq!(model(ofc, "ACCOUNT"), "(BANKID, BRANCHID?, ACCTID, ACCTTYPE)");
    assert_eq!(model(ofc, "STMTTRN"), "GENTRN");
    assert_eq!(
        model(ofc, "OFC"),
        "(DTD, CPAGE, ((SONRQ, MAINTRQ*, TRNRQ*) | (SONRS, MAINTRS*, TRNRS*) | ACCTSTMT+))"
    );
    let both = Some(Minimization { start_tag_omissible: true, end_tag_omissible: true });
    for name in ["GENTRN", "ENTITY", "ACCOUNT"] {
        assert_eq!(ofc.element(name).unwrap().minimization(), both, "{name}");
    }
    assert!(!ofc.element("STMTTRN").unwrap().end_tag_omissible());
    assert!(ofc.element("STMTRS").unwrap().end_tag_omissible());
    assert!(ofc.element("TRNAMT").unwrap().end_tag_omissible());
    assert_eq!(ofc.element("TRNAMT").unwrap().value_type(), Some("AMTSTR"));
    assert_eq!(ofc.element("STATUS").unwrap().value_type(), Some("NUMSTR"));
    assert!(ofc.element("STATUS").unwrap().is_leaf());
}

#[test]
fn leaves_types_and_enumerations() {
    let leaf = |p: Profile, n: &str| *p.element(n).unwrap();
    assert_eq!(leaf(Profile::Ofx160, "TRNAMT").value_type(), Some("AMTTYPE"));
    assert_eq!(leaf(Profile::Ofx160, "DTPOSTED").value_type(), Some("DTTMTYPE"));
    assert!(leaf(Profile::Ofx160, "TRNAMT").end_tag_omissible());
    assert!(!leaf(Profile::Ofx160, "STMTTRN").end_tag_omissible());
    assert_eq!(leaf(Profile::Ofx201, "TRNAMT").value_type(), Some("AMTTYPE"));
    assert_eq!(leaf(Profile::Ofx220, "TRNAMT").value_type(), Some("AmountType"));
    assert_eq!(leaf(Profile::Ofx220, "DTPOSTED").value_type(), Some("DateTimeType"));

    // `(%BOOLTYPE;)`: a parenthesised entity is still a leaf.
    assert_eq!(leaf(Profile::Ofx160, "INCLUDE").value_type(), Some("BOOLTYPE"));
    assert!(leaf(Profile::Ofx160, "INCLUDE").is_leaf());

    let trntype = leaf(Profile::Ofx160, "TRNTYPE");
    assert_eq!(trntype.value_type(), Some("TRANSACTIONENUM"));
    assert_eq!(trntype.enum_values().len(), 17);
    assert!(trntype.enum_values().contains(&"DIRECTDEBIT"));
    assert!(leaf(Profile::Ofx160, "CURDEF").enum_values().contains(&"USD"));
    assert!(leaf(Profile::Ofx160, "LANGUAGE").enum_values().contains(&"ENG"));
    assert_eq!(
        leaf(Profile::Ofx220, "ACCTTYPE").enum_values(),
        ["CHECKING", "SAVINGS", "MONEYMRKT", "CREDITLINE", "CD"]
    );
    assert_eq!(leaf(Profile::Ofx220, "TRNTYPE").value_type(), Some("TransactionEnum"));
    // Not enumerated.
    assert!(leaf(Profile::Ofx160, "NAME").enum_values().is_empty());

    // A name with two enumerations in the XSD gets their union.
    let svcstatus = leaf(Profile::Ofx220, "SVCSTATUS");
    assert!(svcstatus.enum_values().contains(&"REJECTED"), "{:?}", svcstatus.enum_values());

    // LOANRATE is a rate in DEBTINFO and an aggregate in the loan messages.
    let loanrate = leaf(Profile::Ofx220, "LOANRATE");
    assert!(matches!(loanrate.content(), Content::TextOrElements { value_type: "RateType", .. }));
    assert!(!loanrate.is_leaf());
    assert_eq!(loanrate.required_children(), ["LOANINTRATE", "RATETYPE", "DTASOF"]);
}

#[test]
fn particle_queries() {
    static M: Particle = Particle::Seq(&[
        Particle::Elem("A"),
        Particle::Opt(&Particle::Elem("B")),
        Particle::Plus(&Particle::Choice(&[Particle::Elem("C"), Particle::Elem("A")])),
        Particle::Repeat { min: 1, max: Some(3), particle: &Particle::Elem("D") },
    ]);
    assert_eq!(M.to_string(), "(A, B?, (C | A)+, D{1,3})");
    assert_eq!(M.names(), ["A", "B", "C", "D"]);
    assert_eq!(M.min_count("A"), 1);
    assert_eq!(M.max_count("A"), None);
    assert_eq!(M.max_count("B"), Some(1));
    assert_eq!(M.min_count("C"), 0);
    assert_eq!((M.min_count("D"), M.max_count("D")), (1, Some(3)));
    assert_eq!(M.max_count("Z"), Some(0));
    assert!(!M.is_nullable());
    assert!(M.allows("C") && !M.allows("Z"));
}

#[test]
fn profiles_by_version() {
    assert_eq!(Profile::for_ofx_version(102), Some(Profile::Ofx160));
    assert_eq!(Profile::for_ofx_version(160), Some(Profile::Ofx160));
    assert_eq!(Profile::for_ofx_version(211), Some(Profile::Ofx201));
    assert_eq!(Profile::for_ofx_version(220), Some(Profile::Ofx220));
    assert_eq!(Profile::for_ofx_version(99), None);
    assert_eq!(Profile::Ofx201.to_string(), "OFX 2.0.1");
}
