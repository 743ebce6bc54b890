import Foundation
import HavenCore
import HavenData

/// The investigation on its episode's page: status, lead, target and the link.
struct InvestigationSummary: Sendable {
    var href: String
    var lines: [SummaryLine]
    var overdue: Bool

    init(_ investigation: Investigation, names: [String: String], organisation: Organisation, now: Date) {
        href = UseOfForceInvestigationRoute.investigation(investigation.episodeId).path
        overdue = investigation.isOverdue(now: now)
        lines = [
            SummaryLine(label: "Status", value: investigation.status.label),
            SummaryLine(label: "Lead investigator", value: investigation.leadInvestigatorId.map { names[$0] ?? "A former member of staff" } ?? "Not chosen yet"),
            SummaryLine(label: "Target to conclude", value: (overdue ? "Overdue: it was due by " : "By ") + DisplayDate.dateTime(investigation.targetAt, organisation)),
        ]
    }
}

/// One investigation: what it is about, where it stands, and a form for each step the reader may take next.
struct InvestigationPage: Sendable {
    var errors: ErrorSummary
    var csrfToken: String
    var action: String
    var episodeHref: String?
    var summary: InvestigationSummary
    var about: [SummaryLine]
    var record: [SummaryLine]
    var hasRecord: Bool
    var canChange: Bool
    var leadChoices: [Choice]
    var leadError: String?
    var canEditNotes: Bool
    var checklist: [Choice]
    var checklistError: String?
    var guidance: String
    var guidanceError: String?
    var findings: String
    var findingsError: String?
    var learning: String
    var learningError: String?
    var canStart: Bool
    var canConclude: Bool
    var canReopen: Bool
    var canCloseNotNeeded: Bool
    var canOpenAgain: Bool
    var notNeededReason: String
    var notNeededError: String?
    var statusError: String?

    init(_ investigation: Investigation, episode: UseOfForceEpisode?, identity: Identity, people: [User], unitName: String,
         errors: FieldErrors, typed: FormInput?, csrfToken: String, now: Date) {
        let organisation = identity.organisation
        let names = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0.name) })
        let when = { (date: Date) in DisplayDate.dateTime(date, organisation) }
        self.errors = ErrorSummary(errors)
        self.csrfToken = csrfToken
        action = UseOfForceInvestigationRoute.investigation(investigation.episodeId).path
        // Executives and administrators read investigations but not the records (with the patient's name) behind them.
        if let episode, UseOfForceAccess.canView(unitId: episode.unitId, recordedBy: episode.recordedBy, identity.actor) {
            episodeHref = UseOfForceRoute.episode(investigation.episodeId).path
        } else {
            episodeHref = nil
        }
        summary = InvestigationSummary(investigation, names: names, organisation: organisation, now: now)
        let harmNow = episode?.harm ?? investigation.harm
        about = [
            SummaryLine(label: "Unit", value: unitName),
            SummaryLine(label: "Opened", value: when(investigation.openedAt)),
            SummaryLine(label: "Why", value: investigation.harm == .death ? "The record says the patient died" : "The record says the patient was seriously injured"),
        ] + (harmNow != investigation.harm ? [SummaryLine(label: "The record now says", value: harmNow == .noHarm ? "Neither death nor serious injury" : harmNow == .death ? "Death" : "Serious injury")] : [])
        record = [
            investigation.guidance.map { SummaryLine(label: "Guidance had regard to", value: $0) },
            investigation.checklist.isEmpty ? nil : SummaryLine(label: "Checklist", value: InvestigationStep.checklist.filter { investigation.checklist.contains($0.code) }.map(\.label).joined(separator: "; ")),
            investigation.findings.map { SummaryLine(label: "Findings", value: $0) },
            investigation.learning.map { SummaryLine(label: "Learning and actions", value: $0) },
            investigation.notNeededReason.map { SummaryLine(label: "Why not needed", value: $0) },
            investigation.concludedAt.map { SummaryLine(label: "Concluded", value: when($0) + " by " + (investigation.concludedBy.flatMap { names[$0] } ?? "a former member of staff")) },
        ].compactMap { $0 }
        hasRecord = !record.isEmpty
        canChange = InvestigationAccess.canChange(unitId: investigation.unitId, identity.actor)
        let active = investigation.status == .open || investigation.status == .investigating
        let chosenLead = typed?["leadInvestigatorId"] ?? investigation.leadInvestigatorId ?? ""
        leadChoices = [Choice(value: "", label: "Choose a person", selected: chosenLead.isEmpty)]
            + people.filter(\.active).sorted { $0.name < $1.name }.map { Choice(value: $0.id, label: "\($0.name), \($0.jobTitle)", selected: $0.id == chosenLead) }
        leadError = errors["leadInvestigatorId"]
        canEditNotes = canChange && active
        let ticked = typed.map { Set($0.all("guidanceChecklist")) } ?? Set(investigation.checklist)
        checklist = InvestigationStep.checklist.map { Choice(value: $0.code, label: $0.label, selected: ticked.contains($0.code)) }
        checklistError = errors["guidanceChecklist"]
        guidance = typed?["guidance"] ?? investigation.guidance ?? ""
        guidanceError = errors["guidance"]
        findings = typed?["findings"] ?? investigation.findings ?? ""
        findingsError = errors["findings"]
        learning = typed?["learning"] ?? investigation.learning ?? ""
        learningError = errors["learning"]
        canStart = canChange && investigation.status == .open
        canConclude = canChange && investigation.status == .investigating
        canReopen = canChange && investigation.status == .concluded
        canCloseNotNeeded = canChange && active && harmNow == .noHarm
        canOpenAgain = canChange && investigation.status == .notNeeded
        notNeededReason = typed?["notNeededReason"] ?? ""
        notNeededError = errors["notNeededReason"]
        statusError = errors["status"]
    }
}

/// The list: open and investigating first, overdue ones said in words (not by colour alone).
struct InvestigationListPage: Sendable {
    struct Row: Sendable {
        var href: String
        var opened: String
        var unit: String
        var harm: String
        var status: String
        var target: String
        var overdue: Bool
        var lead: String
    }
    var rows: [Row]
    var hasRows: Bool
    var statuses: [Choice]
    var units: [Choice]
    var showing: String
    var previousHref: String?
    var nextHref: String?
    var errors: ErrorSummary
}
