"""Cover documents around the statements: 8-K, 10-D, their amendments, the 10-K, and noise filings.

The seed layout's 8-K reproduces the AAMES 8-K's cover text (Item 5 / Item 7, the
Monthly Report paragraph, the trustee's signature); the other trustees use the
Item 8.01 / 9.01 cover of later 8-Ks (Item 5 / 7 before the 2004-08-23 item
renumbering) or the Regulation AB Form 10-D. The 10-K follows the seed 10-K for
fiscal years before 2006 and the Regulation AB General Instruction J form after.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from devtools.synth import render_ctslink, render_html, render_seed
from devtools.synth.deals import DealSpec
from devtools.synth.edgar import Document
from devtools.synth.schedule import MONTH_ABBR
from devtools.synth.textfmt import dmy_abbr, long_date, mdy, mdy_short, row

ITEM_RENUMBERING = date(2004, 8, 23)

MEASURE_LABELS = {
    "ending_balance": "Ending Certificate Balance", "pass_through_rate": "Pass-Through Rate",
    "beginning_balance": "Beginning Certificate Balance", "interest": "Interest Distribution",
    "principal": "Principal Distribution",
}


def _psa_date(deal: DealSpec) -> str:
    return f"{MONTH_ABBR[deal.closing.month - 1]} 1, {deal.closing.year}"


def _file_stem(deal: DealSpec, dist: date) -> str:
    year2, num = deal.series.split("-")
    if deal.layout == "seed":
        return f"{deal.shelf.abbr}{year2[2:]}{num}{MONTH_ABBR[dist.month - 1].lower()}{dist.year % 100:02d}"
    if deal.layout == "ctslink":
        return f"{deal.shelf.abbr}{year2[2:]}{int(num):03d}_{dist.month:02d}{dist.year % 100:02d}"
    return f"d{(deal.cik * 31 + dist.year * 12 + dist.month) % 900000 + 100000}"


def statement_document(deal: DealSpec, view: dict[str, Any]) -> str:
    """The distribution report in the deal's layout."""
    if deal.layout == "seed":
        return "\n".join(render_seed.statement(deal, view))
    if deal.layout == "ctslink":
        return "\n".join(render_ctslink.statement(deal, view))
    return render_html.statement(deal, view)


def describe_error(err: dict[str, Any]) -> str:
    """How a 10-D/A's explanatory note names the figure it corrects."""
    kind = err["kind"]
    if kind == "dropped_class_row":
        return f"to include Class {err['entity']}, which was omitted from the distribution summary"
    if kind == "total_changed":
        return f"to correct the total {MEASURE_LABELS.get(err['measure'], err['measure'])}"
    if kind == "pool_ending_changed":
        return f"to correct the ending scheduled principal balance of loan group {err['entity']}"
    return f"to correct the {MEASURE_LABELS.get(err['measure'], err['measure'])} of Class {err['entity']}"


# -- distribution filings --------------------------------------------------------------


def distribution_documents(deal: DealSpec, view: dict[str, Any], form: str, filed: date,
                           amendment: dict[str, Any] | None = None) -> list[Document]:
    """The documents of an 8-K / 10-D (or /A) carrying one distribution report."""
    p = view["period"]
    dist: date = p["distribution_date"]
    stem = _file_stem(deal, dist) + ("a" if amendment else "")
    report = statement_document(deal, view)
    if deal.layout == "html":
        main_name = f"{stem}d{form.lower().replace('-', '').replace('/', '')}.txt"
        ex_name = f"{stem}dex991.htm"
    else:
        main_name, ex_name = f"{stem}.txt", f"{stem}ex99.txt"
    if form.startswith("8-K") and deal.layout == "seed":
        cover = _seed_8k(deal, p, amendment)
        if deal.report_in_body:
            text = "\n".join(cover[0] + [""] + report.split("\n") + [""] + cover[1])
            return [Document(form, main_name, "MONTHLY DISTRIBUTION REPORT", text)]
        return [Document(form, main_name, "FORM 8-K", "\n".join(cover[0] + [""] + cover[1])),
                Document("EX-99.1", ex_name, "MONTHLY DISTRIBUTION REPORT", report)]
    if form.startswith("8-K"):
        cover_text = _agent_8k(deal, p, filed, amendment)
    else:
        cover_text = _form_10d(deal, p, filed, amendment)
    return [Document(form, main_name, f"FORM {form}", cover_text),
            Document("EX-99.1", ex_name, "MONTHLY DISTRIBUTION REPORT", report)]


def _amendment_note(amendment: dict[str, Any] | None, form: str) -> list[str]:
    if not amendment:
        return []
    return ["", "EXPLANATORY NOTE", "",
            f"This Amendment No. 1 on Form {form}/A amends the Form {form} filed on",
            f"{long_date(amendment['original_filed'])} (accession number {amendment['original_accession']})",
            f"{describe_error(amendment['error'])} in the monthly distribution report.",
            f"The revised report is attached as Exhibit 99.1 and replaces the report filed with the original {form}.",
            ""]


def _seed_8k(deal: DealSpec, p: dict[str, Any], amendment: dict[str, Any] | None) -> tuple[list[str], list[str]]:
    """The seed 8-K's text before and after the monthly report."""
    s = deal.shelf
    dist: date = p["distribution_date"]
    d = dmy_abbr(dist)
    city, _, _state = s.city.partition(", ")
    head = [
        "SECURITIES AND EXCHANGE COMMISSION", "", "Washington, D.C. 20549", "",
        "Form 8-K/A" if amendment else "Form 8-K", "", "CURRENT REPORT", "",
        "Pursuant to Section 13 or 15(d) of the", "Securities Exchange Act of 1934", "",
        row((0, "Date of Report:", "l"), (79, d)), "",
        s.depositor, "",
        "(AS DEPOSITOR UNDER THE POOLING AND SERVICING AGREEMENT,",
        f"DATED AS OF {_psa_date(deal)}, PROVIDING FOR THE ISSUANCE OF",
        f"{s.trust} PASS-THROUGH CERTIFICATES",
        f"SERIES {deal.series})", "",
        s.depositor,
        "(Exact name of registrant as specified in its charter)", "",
        row((0, "Delaware", "l"), (60, deal.file_number, "l")),
        "(State or Other                                             (Commission",
        "Jurisdiction of                                             File Number)",
        "Incorporation)", "",
        s.depositor_irs, "(I.R.S. Employer", "Identification", "Number)", "",
        s.street, row((0, s.city, "l"), (80, s.zip_code)),
        "(Address of Principal                                                (Zip Code)",
        "Executive Offices)", "",
        f"Registrant's telephone number: {s.phone}",
    ]
    head += _amendment_note(amendment, "8-K")
    head += [
        "", "Item 5.  Other Events", "",
        f"                 On      {d}      a scheduled distribution was made",
        "from the trust to holders of the certificates. The Trustee has caused",
        "to be filed with the commission, the Monthly Report dated",
        f"{d}           The Monthly Report is filed pursuant",
        "to and in accordance with (1) numerous no-action letters",
        "(2) current Commission policy in the area.", "",
        "A.                  Monthly Report Information:",
        "                    See Exhibit No.1", "",
        "B.                  Have any deficiencies occurred?   NO.",
        "                                        Date:",
        "                                        Amount:", "",
        "C.                  Item 1: Legal Proceedings:              NONE", "",
        "D.                  Item 2: Changes in Securities:          NONE", "",
        "E.Item 4: Submission of Matters to a Vote of Certificateholders:  NONE", "",
        "F.                  Item 5: Other Information - Form 10-Q, Part II -",
        "                    Items 1,2,4,5 if applicable:  NOT APPLICABLE", "",
        "Item 7. Monthly Statements and Exhibits", "",
        "                    Exhibit No.", "",
        row((0, "1. Monthly Distrib Rep dated:", "l"), (79, d)),
    ]
    t = deal.trustee
    tail = [
        "", "SIGNATURES", "",
        "Pursuant to the requirements of the Securities Exchange Act of 1934,",
        "the registrant has duly caused this report to be signed on its behalf",
        "by the undersigned thereunto duly authorized.", "",
        f"                    By: /s/ {t.officer}",
        f"                    Name:  {t.officer}",
        f"                    Title: {t.title}",
        f"                    {t.name} as Trustee", "",
        row((0, "Dated:", "l"), (40, mdy(dist))),
    ]
    return head, tail


def _registrant_block(deal: DealSpec) -> list[str]:
    t = deal.trustee
    return [
        f"{deal.name}".center(78).rstrip(),
        "(Exact name of issuing entity as specified in its charter)".center(78).rstrip(), "",
        f"Commission File Number of issuing entity: {deal.file_number}",
        f"Commission File Number of depositor: {deal.shelf.shelf_number}", "",
        deal.shelf.depositor.center(78).rstrip(),
        "(Exact name of depositor as specified in its charter)".center(78).rstrip(), "",
        deal.shelf.sponsor.center(78).rstrip(),
        "(Exact name of sponsor as specified in its charter)".center(78).rstrip(), "",
        "New York                                        " + deal.irs_number,
        "(State or other jurisdiction of                 (I.R.S. Employer",
        "incorporation or organization                   Identification No.)",
        "of the issuing entity)", "",
        f"c/o {t.name}",
        t.street,
        t.city,
        "(Address of principal executive offices of the issuing entity)", "",
        f"{t.phone}",
        "(Telephone number, including area code)",
    ]


def _agent_8k(deal: DealSpec, p: dict[str, Any], filed: date, amendment: dict[str, Any] | None) -> str:
    dist: date = p["distribution_date"]
    old_items = dist < ITEM_RENUMBERING
    lines = [
        "SECURITIES AND EXCHANGE COMMISSION".center(78).rstrip(),
        "Washington, D.C. 20549".center(78).rstrip(), "",
        ("FORM 8-K/A" if amendment else "FORM 8-K").center(78).rstrip(), "",
        "CURRENT REPORT".center(78).rstrip(),
        "Pursuant to Section 13 or 15(d) of the".center(78).rstrip(),
        "Securities Exchange Act of 1934".center(78).rstrip(), "",
        f"Date of Report (Date of earliest event reported): {long_date(dist)}".center(78).rstrip(), "",
    ] + _registrant_block(deal) + _amendment_note(amendment, "8-K") + [
        "",
        "Item 5.  Other Events" if old_items else "ITEM 8.01  Other Events", "",
        f"On {long_date(dist)} a distribution was made to holders of {deal.name}",
        f"{deal.shelf.cert_title.title()}, Series {deal.series}.", "",
        "Item 7.  Financial Statements and Exhibits" if old_items
        else "ITEM 9.01  Financial Statements and Exhibits", "",
        "   (c) Exhibits", "",
        "   Exhibit Number     Description", "",
        "   EX-99.1            Monthly report distributed to holders of",
        f"                      {deal.shelf.cert_title.title()}, Series {deal.series},",
        f"                      relating to the {long_date(dist)} distribution.", "",
    ] + _signature(deal, filed, "Securities Administrator")
    return "\n".join(lines)


def _signature(deal: DealSpec, filed: date, role: str) -> list[str]:
    t = deal.trustee
    return [
        "SIGNATURES", "",
        "Pursuant to the requirements of the Securities Exchange Act of 1934, the",
        "registrant has duly caused this report to be signed on its behalf by the",
        "undersigned, thereunto duly authorized.", "",
        f"                         {deal.name}",
        f"                         By: {t.name}, as {role}", "",
        f"                         By:   /s/ {t.officer}",
        f"                         Name: {t.officer}",
        f"                         Title: {t.title}", "",
        f"                         Date: {long_date(filed)}",
    ]


def _form_10d(deal: DealSpec, p: dict[str, Any], filed: date, amendment: dict[str, Any] | None) -> str:
    dist: date = p["distribution_date"]
    prev: date = p["prior_distribution_date"]
    start = prev + timedelta(days=1)
    classes = [r["class"] for r in p["classes"] if r["kind"] in ("senior", "io", "mezz", "sub")]
    lines = [
        "UNITED STATES".center(78).rstrip(),
        "SECURITIES AND EXCHANGE COMMISSION".center(78).rstrip(),
        "Washington, D.C. 20549".center(78).rstrip(), "",
        ("FORM 10-D/A" if amendment else "FORM 10-D").center(78).rstrip(), "",
        "ASSET-BACKED ISSUER DISTRIBUTION REPORT".center(78).rstrip(),
        "Pursuant to Section 13 or 15(d) of the Securities Exchange Act of 1934".center(78).rstrip(), "",
        "For the monthly distribution period from:".center(78).rstrip(),
        f"{long_date(start)} to {long_date(dist)}".center(78).rstrip(), "",
    ] + _registrant_block(deal) + [
        "",
        "Title of Class        Registered/reported pursuant to (check one)      Name of Exchange",
        "                      Section 12(b)   Section 12(g)   Section 15(d)    (If Section 12(b))",
    ]
    lines += [f"{c:<22}     [ ]             [ ]             [X]" for c in classes]
    lines += [
        "",
        "Indicate by check mark whether the registrant (1) has filed all reports required",
        "to be filed by Section 13 or 15(d) of the Securities Exchange Act of 1934 during",
        "the preceding 12 months (or for such shorter period that the registrant was",
        "required to file such reports), and (2) has been subject to such filing",
        "requirements for the past 90 days.   Yes  X    No ___",
    ] + _amendment_note(amendment, "10-D") + [
        "",
        "PART I - DISTRIBUTION INFORMATION", "",
        "Item 1.  Distribution and Pool Performance Information.", "",
        f"On {long_date(dist)} a distribution was made to holders of the certificates issued by",
        f"{deal.name}. The distribution report is attached as Exhibit 99.1 to this Form 10-D.", "",
        "PART II - OTHER INFORMATION", "",
        "Item 2.  Legal Proceedings.                                  None.",
        "Item 3.  Sales of Securities and Use of Proceeds.            None.",
        "Item 4.  Defaults Upon Senior Securities.                    None.",
        "Item 5.  Submission of Matters to a Vote of Security Holders. None.",
        "Item 6.  Significant Obligors of Pool Assets.                None.",
        "Item 7.  Significant Enhancement Provider Information.       None.",
        "Item 8.  Other Information.                                  None.", "",
        "Item 9.  Exhibits.", "",
        "   (a) Documents filed as part of this report.", "",
        "   Exhibit Number     Description",
        "   EX-99.1            Monthly report distributed to holders of the certificates",
        f"                      issued by {deal.name}, relating to the",
        f"                      {long_date(dist)} distribution.", "",
    ] + _signature(deal, filed, "Securities Administrator")
    return "\n".join(lines)


# -- annual reports ----------------------------------------------------------------------

USAP_CRITERIA = (
    ("I.1", "reconciliations of custodial bank accounts were not prepared within 45 days of the cutoff date"),
    ("V.2", "interest rate adjustments on adjustable rate mortgage loans were not made in accordance with "
            "the related mortgage notes"),
    ("V.4", "escrow accounts were not analyzed in accordance with the mortgagors' loan documents"),
)
REGAB_CRITERIA = (
    ("1122(d)(2)(vii)", "account reconciliations were not prepared within 30 calendar days after the bank "
                        "statement cutoff date"),
    ("1122(d)(4)(vii)", "loss mitigation and recovery actions were not initiated and conducted in accordance "
                        "with the timeframes required by the transaction agreements"),
    ("1122(d)(3)(i)", "reports to investors were not prepared in accordance with the timeframes set forth in "
                      "the transaction agreements"),
)


def annual_report(deal: DealSpec, year: int, dist_dates: list[date], report_forms: list[str], filed: date,
                  seed: int) -> tuple[list[Document], dict[str, Any]]:
    """A 10-K for ``year`` and its structured truth (parties, distribution dates, compliance)."""
    rng = random.Random(f"{seed}:10k:{deal.index}:{year}")
    noncompliance = rng.random() < 0.12
    parties = [
        {"role": "depositor", "name": deal.shelf.depositor},
        {"role": "sponsor", "name": deal.shelf.sponsor},
        {"role": "master_servicer", "name": deal.master_servicer},
        {"role": "servicer", "name": deal.servicer},
        {"role": "trustee", "name": deal.trustee.name},
        {"role": "credit_risk_manager", "name": deal.credit_risk_manager},
        {"role": "cap_provider", "name": deal.cap_provider},
        {"role": "accountants", "name": deal.accountant},
    ]
    if year < 2006:  # the old-style 10-K names only these parties
        parties = [p for p in parties if p["role"] in ("depositor", "master_servicer", "servicer", "trustee",
                                                       "accountants")]
    truth: dict[str, Any] = {
        "fiscal_year": year, "fiscal_year_end": f"{year}-12-31",
        "style": "reg_ab" if year >= 2006 else "pre_reg_ab",
        "distribution_dates": [d.isoformat() for d in dist_dates],
        "reports_form": sorted(set(report_forms)),
        "closing_date": deal.closing.isoformat() if deal.closing.year == year else None,
        "holders_of_record": deal.holders_of_record if year < 2006 else None,
        "parties": parties, "servicer_default": False,
    }
    stem = f"{deal.shelf.abbr}{deal.series.replace('-', '')[2:]}10k{year % 100:02d}"
    if year < 2006:
        crit = rng.choice(USAP_CRITERIA) if noncompliance else None
        tested = rng.randrange(25, 60)
        failed = rng.randrange(1, 4)
        eo = rng.choice((5_000_000, 10_000_000, 15_000_000))
        bond1, bond2 = rng.choice(((10_000_000, 20_000_000), (15_000_000, 15_000_000), (20_000_000, 25_000_000)))
        change = date(year, rng.choice((4, 7, 10)), 1)
        truth["material_noncompliance"] = ([{"criterion": crit[0], "description": crit[1],
                                             "tested": tested, "exceptions": failed}] if crit else [])
        truth["errors_and_omissions_policy"] = eo
        truth["fidelity_bond"] = [
            {"amount": bond1, "from": f"{year}-01-01", "to": (change - timedelta(days=1)).isoformat()},
            {"amount": bond2, "from": change.isoformat(), "to": f"{year}-12-31"},
        ]
        text = _old_10k(deal, year, dist_dates, filed, crit, tested, failed, eo, bond1, bond2, change)
        return [Document("10-K", f"{stem}.txt", "ANNUAL REPORT", text)], truth
    crit = rng.choice(REGAB_CRITERIA) if noncompliance else None
    truth["material_noncompliance"] = ([{"criterion": crit[0], "description": crit[1], "party": deal.servicer}]
                                       if crit else [])
    docs = [Document("10-K", f"{stem}.txt", "ANNUAL REPORT", _regab_10k(deal, year, dist_dates, filed, crit)),
            Document("EX-31.1", f"{stem}ex31.txt", "CERTIFICATION", _ex31(deal, year, filed)),
            Document("EX-33.1", f"{stem}ex33.txt", "REPORT ON ASSESSMENT OF COMPLIANCE", _ex33(deal, year, crit)),
            Document("EX-34.1", f"{stem}ex34.txt", "ATTESTATION REPORT", _ex34(deal, year, crit)),
            Document("EX-35.1", f"{stem}ex35.txt", "SERVICER COMPLIANCE STATEMENT", _ex35(deal, year))]
    return docs, truth


def _date_list(dates: list[date]) -> list[str]:
    items = [long_date(d) for d in dates]
    lines, cur = [], "      "
    for i, it in enumerate(items):
        piece = it + ("; " if i < len(items) - 1 else "")
        if len(cur) + len(piece) > 76:
            lines.append(cur.rstrip())
            cur = "      "
        cur += piece
    lines.append(cur.rstrip())
    return lines


def _old_10k(deal: DealSpec, year: int, dates: list[date], filed: date, crit: tuple[str, str] | None,
             tested: int, failed: int, eo: int, bond1: int, bond2: int, change: date) -> str:
    s = deal.shelf
    ms, sv, acct = deal.master_servicer, deal.servicer, deal.accountant
    closing_note = (f"        * The closing date for the transaction was {mdy(deal.closing)}"
                    if deal.closing.year == year else "")
    signer = "Alex R. Illustration"
    lines = [
        "SECURITIES AND EXCHANGE COMMISSION",
        "                           Washington, D.C.  20549", "",
        "                                  FORM 10-K", "", "",
        "(Mark One)",
        "[ x] Annual Report Pursuant to Section 13 or 15(d) of the Securities",
        "Exchange Act of 1934",
        f"For the fiscal year ended DECEMBER 31, {year}", "",
        f"Commission file Number   {deal.file_number}", "",
        s.depositor.title(), "",
        "(AS DEPOSITOR UNDER THE POOLING AND SERVICING AGREEMENT,",
        f"DATED AS OF {_psa_date(deal)}, PROVIDING FOR THE ISSUANCE OF",
        f"{s.trust} PASS-THROUGH CERTIFICATES",
        f"SERIES {deal.series})", "",
        "(Exact name of registrant as specified in its charter)", "",
        f"Delaware                          {s.depositor_irs}",
        "(State or other jurisdiction      (I.R.S. Employer",
        "of incorporation or organization)  Identification No.)", "",
        s.street, f"{s.city}                                             {s.zip_code}",
        "(Address of Principal Executive Offices)         (Zip Code)", "",
        f"Registrant's telephone number, including area code:           {s.phone}", "",
        f"{s.trust} PASS-THROUGH CERTIFICATES",
        f" Series {deal.series}",
        "(Title of each class of securities covered by this Form)", "",
        "Securities registered pursuant to Section 12(b) of the Act:  NONE",
        "Securities registered pursuant to Section 12(g) of the Act:  NONE", "",
        "Indicate by check mark whether the registrant (1) has filed all reports",
        "required to be filed by Section 13 or 15(d) of the Securities Act of 1934",
        "during the preceding 12 months, and (2) has been subject to such filing",
        "requirements for the past 90 days.",
        "      Yes             X - No" + (" *" if closing_note else ""),
        closing_note, "",
        "                                    PART I", "",
        "Item 1.  Business", "", "      Not applicable.", "",
        "Item 2.  Properties", "", "      Not applicable on reliance of Relief Letters", "",
        "Item 3. Legal Proceedings", "", "      There were no legal proceedings.", "",
        "Item 4. Submission of Matters to a Vote of Security Holders",
        "      There were no matters submitted to a vote of the Security Holders.", "",
        "                                    PART II", "",
        "Item 5. Market for Registrant's Common Equity and Related Stockholder matters", "",
        f"      As of December 31, {year}, the Trust had {_words(deal.holders_of_record)} "
        f"({deal.holders_of_record}) holders",
        "      of record of the Certificates, computed in accordance with Rule 12g5-1",
        "      under the Securities Exchange Act of 1934, as amended.", "",
        "Items 6 through 14.", "", "      Not applicable.", "",
        "                                    PART IV", "",
        "Item 15. Exhibits, Financial Statement Schedules, and Reports on Form 8-K", "",
        "      (a) 1.  Not Applicable",
        "            2.  Not Applicable",
        "            3.  Exhibits",
        "               99.1 Annual Statement of Compliance",
        f"                        a.  {ms}, as Master Servicer",
        "               99.2 Report of Independent Accountants",
        f"                        a.  {sv}, as Servicer",
        "               99.3 Report of Management",
        f"                        a.  {sv}, as Servicer", "",
        "      (b)   Reports on Form 8-K",
        "      The registrant has filed Current Reports on Form 8-K with the",
        "      Securities and Exchange Commission dated:",
    ] + _date_list(dates) + [
        "", "      (c)    See (a) 3 above", "", "      (d)    Not Applicable", "", "",
        "                    SIGNATURES", "",
        "Pursuant to the requirements of Section 13 or 15(d) of the Securities",
        "Exchange Act of 1934, the registrant has duly caused this report to be",
        "signed on its behalf by the undersigned thereunto duly authorized.", "",
        f"{ms}, as Master Servicer of",
        s.depositor,
        f"{s.trust} PASS-THROUGH CERTIFICATES",
        f"Series {deal.series}", "",
        f"      /s/  {signer}", "", f"      Name:  {signer}", "",
        "      Title:  Executive Vice President", "", f"      Company:  {ms}", "",
        f"      Date:    {mdy_short(filed).lstrip('0')}", "", "",
        "In giving the certifications above, I have reasonably relied on information",
        "provided to me by the following unaffiliated parties:", "",
        f"{deal.trustee.name}, as Trustee",
        f"{sv}, as Servicer", "", "",
        "       EXHIBIT 99.1.a -- Master Servicer's Annual Statement of Compliance", "",
        f"The undersigned Officer of {ms} certifies the following for the period ending on",
        f"December 31, {year}:", "",
        "1.  I have reviewed the activities and performance of the Master Servicer",
        "during the preceding calendar year under the terms of the Trust Agreements",
        "and to the best of this Officer's knowledge, the Master Servicer has",
        "fulfilled all of its duties, responsibilities or obligations under the",
        "Agreements;", "",
        "2.  Based on said review and to the best of this Officer's knowledge,",
        "the Master Servicer is not in default of its obligations under the terms",
        "of the Trust Agreements in any material respect.", "",
        f"Certified By:\n/s/ {signer}\nExecutive Vice President", "", "",
        "       EXHIBIT 99.2.a -- Report of Independent Accountants", "",
        acct, "", "INDEPENDENT ACCOUNTANTS' REPORT", "",
        f"We have examined {sv}'s (the \"Company\") compliance with its established",
        "minimum servicing standards described in the accompanying Management's",
        f"Assertion on Minimum Servicing Standards as of and for the year ended December 31, {year}.",
    ]
    if crit:
        lines += ["",
                  "Our examination disclosed the following material noncompliance with the",
                  "Company's established minimum servicing standards set forth in Appendix I,",
                  f"Item {crit[0]}: {crit[1]}. In {_words(failed).lower()} of the {_words(tested).lower()} items "
                  f"selected for testing, exceptions were noted.", "",
                  "In our opinion, except for the material noncompliance described in the",
                  "preceding paragraph, the Company complied, in all material respects, with",
                  "the aforementioned minimum servicing standards."]
    else:
        lines += ["", "In our opinion, the Company complied, in all material respects, with the",
                  f"aforementioned minimum servicing standards as of and for the year ended December 31, {year}."]
    lines += ["", f"/s/ {acct}", "", "", "       EXHIBIT 99.3.a -- Report of Management", "",
              "MANAGEMENT'S ASSERTION ON", "MINIMUM SERVICING STANDARDS", "",
              f"As of and for the year ended December 31, {year}, {sv} has complied in all",
              "material respects with its established minimum servicing standards for",
              "residential mortgage loans as set forth in Appendix I, which are based on the",
              "Mortgage Bankers Association of America's Uniform Single Attestation Program",
              "for Mortgage Bankers" + (f", except for Item {crit[0]}." if crit else "."), "",
              f"As of and for this same period, {sv} had in effect an errors and",
              f"omissions policy in the amount of ${eo:,}. {sv} had in effect a",
              f"fidelity bond in the amount of ${bond1:,} from January 1, {year} through",
              f"{long_date(change - timedelta(days=1))} and in the amount of ${bond2:,} from",
              f"{long_date(change)} through December 31, {year}."]
    return "\n".join(lines)


def _regab_10k(deal: DealSpec, year: int, dates: list[date], filed: date, crit: tuple[str, str] | None) -> str:
    s = deal.shelf
    lines = [
        "UNITED STATES".center(78).rstrip(), "SECURITIES AND EXCHANGE COMMISSION".center(78).rstrip(),
        "Washington, D.C. 20549".center(78).rstrip(), "", "FORM 10-K".center(78).rstrip(), "",
        "(Mark One)",
        "[X]  ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934", "",
        f"For the fiscal year ended December 31, {year}", "",
    ] + _registrant_block(deal) + [
        "",
        "Securities registered pursuant to Section 12(b) of the Act: None",
        "Securities registered pursuant to Section 12(g) of the Act: None", "",
        "Registrant has no voting or non-voting common equity outstanding held by non-affiliates.", "",
        "PART I", "",
        "Item 1.  Business.                               Omitted.",
        "Item 1A. Risk Factors.                           Omitted.",
        "Item 1B. Unresolved Staff Comments.              None.",
        "Item 2.  Properties.                             Omitted.",
        "Item 3.  Legal Proceedings.                      Omitted.",
        "Item 4.  Submission of Matters to a Vote of Security Holders.   Omitted.", "",
        "PART II", "", "Items 5 through 9B.                              Omitted.", "",
        "PART III", "", "Items 10 through 14.                             Omitted.", "",
        "Substitute information provided in accordance with General Instruction J to Form 10-K:", "",
        "Item 1112(b) of Regulation AB, Significant Obligors of Pool Assets.", "   None.", "",
        "Item 1114(b)(2) and 1115(b) of Regulation AB, Significant Enhancement Provider Information.",
        f"   {deal.cap_provider} is the cap provider; its significance percentage is less than 10%.", "",
        "Item 1117 of Regulation AB, Legal Proceedings.", "   None.", "",
        "Item 1119 of Regulation AB, Affiliations and Certain Relationships and Related Transactions.",
        f"   {s.depositor} is an affiliate of {s.sponsor.rstrip('.')}. No other affiliations.", "",
        "Item 1122 of Regulation AB, Compliance with Applicable Servicing Criteria.", "",
        "   The reports on assessment of compliance with the servicing criteria for asset-backed",
        "   securities and the related attestation reports are attached as Exhibits 33 and 34.",
    ]
    if crit:
        lines += [f"   The report of {deal.servicer} identified the following material instance of",
                  f"   noncompliance with Item {crit[0]}: {crit[1]}."]
    else:
        lines += ["   No material instances of noncompliance were identified."]
    lines += [
        "", "Item 1123 of Regulation AB, Servicer Compliance Statement.", "",
        "   The servicer compliance statements are attached as Exhibit 35.", "",
        "Distribution reports.", "",
        "   The issuing entity filed Distribution Reports on Form 10-D for the",
        "   following distribution dates during the fiscal year:",
    ] + _date_list(dates) + [
        "", "Parties to the transaction.", "",
        f"   Sponsor:                         {s.sponsor}",
        f"   Depositor:                       {s.depositor}",
        f"   Issuing Entity:                  {deal.name}",
        f"   Master Servicer:                 {deal.master_servicer}",
        f"   Servicer:                        {deal.servicer}",
        f"   Trustee:                         {deal.trustee.name}",
        f"   Credit Risk Manager:             {deal.credit_risk_manager}",
        f"   Cap Provider:                    {deal.cap_provider}",
        f"   Registered Public Accountants:   {deal.accountant}", "",
        "PART IV", "", "Item 15. Exhibits, Financial Statement Schedules.", "",
        "   (a)(1) Not applicable.", "   (a)(2) Not applicable.", "   (a)(3) See Item 15(b).", "",
        "   (b) Exhibits.",
        "       31.1  Rule 13a-14(d)/15d-14(d) Certification.",
        f"       33.1  Report on Assessment of Compliance with Servicing Criteria of {deal.servicer}.",
        f"       34.1  Attestation Report of {deal.accountant} on Assessment of Compliance of {deal.servicer}.",
        f"       35.1  Servicer Compliance Statement of {deal.servicer}.", "",
        "SIGNATURES", "",
        "Pursuant to the requirements of Section 13 or 15(d) of the Securities Exchange Act of 1934,",
        "the registrant has duly caused this report to be signed on its behalf by the undersigned,",
        "thereunto duly authorized.", "",
        f"   {deal.name}", f"   By: {deal.master_servicer}, as Master Servicer", "",
        "   By:   /s/ Alex R. Illustration", "   Name: Alex R. Illustration",
        "   Title: Senior Officer in Charge of Securitization of the Master Servicer", "",
        f"   Date: {long_date(filed)}",
    ]
    return "\n".join(lines)


def _ex31(deal: DealSpec, year: int, filed: date) -> str:
    return "\n".join([
        "CERTIFICATION", "",
        "I, Alex R. Illustration, certify that:", "",
        "1. I have reviewed this report on Form 10-K and all reports on Form 10-D required to be",
        f"filed in respect of the period covered by this report on Form 10-K of {deal.name};", "",
        "2. Based on my knowledge, the Exchange Act periodic reports, taken as a whole, do not",
        "contain any untrue statement of a material fact;", "",
        f"Date: {long_date(filed)}", "", "/s/ Alex R. Illustration",
        f"Senior Officer in Charge of Securitization, {deal.master_servicer}",
    ])


def _ex33(deal: DealSpec, year: int, crit: tuple[str, str] | None) -> str:
    body = [
        "REPORT ON ASSESSMENT OF COMPLIANCE WITH APPLICABLE SERVICING CRITERIA", "",
        f"{deal.servicer} (the \"Servicer\") is responsible for assessing compliance with the servicing",
        "criteria set forth in Item 1122(d) of Regulation AB, Item 1122(d)(1)(i) through (d)(4)(xv),",
        f"for the period from January 1, {year} through December 31, {year}.", "",
    ]
    if crit:
        body += ["The Servicer has complied, in all material respects, with the applicable servicing criteria,",
                 f"except as follows: Item {crit[0]}: {crit[1]}."]
    else:
        body += ["The Servicer has complied, in all material respects, with the applicable servicing criteria."]
    return "\n".join(body)


def _ex34(deal: DealSpec, year: int, crit: tuple[str, str] | None) -> str:
    opinion = (f"except for the material noncompliance with Item {crit[0]} described in its assessment,"
               if crit else "")
    return "\n".join([
        "REPORT OF INDEPENDENT REGISTERED PUBLIC ACCOUNTING FIRM", "",
        f"We have examined management's assessment that {deal.servicer} complied with the servicing",
        f"criteria set forth in Item 1122(d) of Regulation AB as of and for the year ended December 31, {year}.",
        f"In our opinion, {opinion} management's assessment is fairly stated, in all material respects.".replace(
            "  ", " "),
        "", f"/s/ {deal.accountant}",
    ])


def _ex35(deal: DealSpec, year: int) -> str:
    return "\n".join([
        "SERVICER COMPLIANCE STATEMENT", "",
        f"The undersigned officer of {deal.servicer} (the \"Servicer\") certifies that:", "",
        f"(a) a review of the Servicer's activities during the calendar year {year} and of its",
        "performance under the pooling and servicing agreement has been made under my supervision; and",
        "(b) to the best of my knowledge, based on such review, the Servicer has fulfilled all of its",
        "obligations under the agreement in all material respects throughout such year.", "",
        "/s/ Jordan P. Sample", "Senior Vice President",
    ])


_ONES = ("Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve",
         "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen")
_TENS = ("", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety")


def _words(n: int) -> str:
    """Numbers as the seed 10-K spells them ("Forty (40) holders")."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _ONES[n % 10])
    return str(n)


# -- noise (non-ABS filers) --------------------------------------------------------------


def noise_8k(company: str, filed: date, rng: random.Random) -> list[Document]:
    """An operating company's earnings 8-K: a filing the ABS filter must drop."""
    revenue = rng.randrange(5_000, 900_000)
    quarter = (filed.month - 2) // 3 % 4 + 1
    text = "\n".join([
        "UNITED STATES", "SECURITIES AND EXCHANGE COMMISSION", "Washington, D.C. 20549", "",
        "FORM 8-K", "", "CURRENT REPORT", "",
        f"Date of Report (Date of earliest event reported): {long_date(filed)}", "",
        company, "(Exact name of registrant as specified in its charter)", "",
        "Item 2.02  Results of Operations and Financial Condition.", "",
        f"On {long_date(filed)}, {company} issued a press release announcing its results for the",
        f"fiscal quarter {quarter}. Revenue for the quarter was ${revenue:,} thousand.", "",
        "Item 9.01  Financial Statements and Exhibits.", "", "99.1  Press release.", "",
        "SIGNATURES", "", f"{company}", "By: /s/ Casey Example, Chief Financial Officer",
    ])
    press = "\n".join([f"{company} REPORTS QUARTERLY RESULTS", "",
                       f"Revenue of ${revenue:,} thousand; net income of ${revenue // 9:,} thousand.", ""])
    return [Document("8-K", "form8k.txt", "FORM 8-K", text), Document("EX-99.1", "ex991.txt", "PRESS RELEASE", press)]


def noise_4(issuer: str, owner: str, filed: date, rng: random.Random) -> list[Document]:
    """A Form 4 insider trade: another filing the ABS filter must drop."""
    shares = rng.randrange(100, 50_000)
    price = rng.randrange(500, 15_000) / 100
    text = "\n".join([
        "UNITED STATES SECURITIES AND EXCHANGE COMMISSION", "WASHINGTON, D.C. 20549", "FORM 4",
        "STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP", "",
        f"1. Name and Address of Reporting Person: {owner}",
        f"2. Issuer Name: {issuer}",
        f"3. Date of Earliest Transaction: {mdy(filed)}", "",
        "Table I -- Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned",
        f"Common Stock   {mdy(filed)}   P   {shares:,}   A   ${price:.2f}", "",
        f"/s/ {owner}   {mdy(filed)}",
    ])
    return [Document("4", "form4.txt", "FORM 4", text)]
