import Foundation
import HavenCore

/// One control of a long form, described once so one template draws every kind (text, date, time, text area,
/// select, radios, a checkbox) with its label, hint and error beside it.
struct FormControl: Sendable {
    var id: String
    var name: String
    var label: String
    var hint: String?
    var error: String?
    var value: String
    var inputType: String = "text"
    var isInput = false, isTextarea = false, isSelect = false, isRadios = false, isCheckbox = false
    var choices: [Choice] = []
    var checked = false
    var optional = false
    var describedBy: String?

    init(_ name: String, _ label: String, form: UseOfForceForm, errors: FieldErrors, id: String? = nil, hint: String? = nil,
         optional: Bool = false) {
        self.id = id ?? name
        self.name = name
        self.label = label
        self.hint = hint
        self.value = form[name]
        self.error = errors[self.id]
        self.optional = optional
        describedBy = [hint == nil ? nil : self.id + "-hint", error == nil ? nil : self.id + "-error"].compactMap { $0 }.joined(separator: " ").nilIfEmpty
    }

    static func input(_ name: String, _ label: String, _ form: UseOfForceForm, _ errors: FieldErrors, type: String = "text",
                      id: String? = nil, hint: String? = nil, optional: Bool = false) -> FormControl {
        var control = FormControl(name, label, form: form, errors: errors, id: id, hint: hint, optional: optional)
        control.isInput = true; control.inputType = type
        return control
    }
    static func textarea(_ name: String, _ label: String, _ form: UseOfForceForm, _ errors: FieldErrors, hint: String? = nil,
                         optional: Bool = false) -> FormControl {
        var control = FormControl(name, label, form: form, errors: errors, hint: hint, optional: optional)
        control.isTextarea = true
        return control
    }
    static func select(_ name: String, _ label: String, _ form: UseOfForceForm, _ errors: FieldErrors, choices: [(String, String)],
                       id: String? = nil, hint: String? = nil, prompt: String? = "Choose") -> FormControl {
        var control = FormControl(name, label, form: form, errors: errors, id: id, hint: hint)
        control.isSelect = true
        let value = control.value
        control.choices = (prompt.map { [Choice(value: "", label: $0, selected: value.isEmpty)] } ?? [])
            + choices.map { Choice(value: $0.0, label: $0.1, selected: $0.0 == value) }
        return control
    }
    static func radios(_ name: String, _ label: String, _ form: UseOfForceForm, _ errors: FieldErrors, choices: [(String, String)],
                       id: String? = nil, hint: String? = nil) -> FormControl {
        var control = FormControl(name, label, form: form, errors: errors, id: id, hint: hint)
        control.isRadios = true
        let value = control.value
        control.choices = choices.map { Choice(value: $0.0, label: $0.1, selected: $0.0 == value) }
        return control
    }
    static func checkbox(_ name: String, _ label: String, _ form: UseOfForceForm, _ errors: FieldErrors, hint: String? = nil) -> FormControl {
        var control = FormControl(name, label, form: form, errors: errors, hint: hint)
        control.isCheckbox = true; control.checked = form.checked(name)
        return control
    }
}

/// A titled group of controls (one fieldset).
struct FormSection: Sendable {
    var title: String
    var intro: String?
    var controls: [FormControl]
    /// The record field a problem with the whole group is named by (no interventions, no staff).
    var id: String?
    var error: String?

    init(title: String, intro: String?, controls: [FormControl], id: String? = nil, errors: FieldErrors = .init()) {
        self.title = title; self.intro = intro; self.controls = controls; self.id = id
        error = id.flatMap { errors[$0] }
    }
}

/// The record form, new or a correction: every s6(5) item in the order a nurse would tell it.
struct UseOfForceFormPage: Sendable {
    var title: String
    var action: String
    var submit: String
    var errors: ErrorSummary
    var sections: [FormSection]
    var interventionRows: Int
    var staffRows: Int
    var csrfToken: String
    var showsOverlap: Bool
    var overlap: FormControl?

    static let yesNo = [("yes", "Yes"), ("no", "No")]

    init(title: String, action: String, submit: String, form: UseOfForceForm, errors: FieldErrors, units: [CareUnit], csrfToken: String) {
        self.title = title; self.action = action; self.submit = submit; self.csrfToken = csrfToken
        self.errors = ErrorSummary(errors)
        interventionRows = form.interventionRows; staffRows = form.staffRows
        let types = RestrictiveInterventionType.allCases.map { ($0.code, "\($0.code) \($0.label)") }
        var sections = [FormSection(title: "Where and why", intro: nil, controls: [
            .select("unitId", "Unit", form, errors, choices: units.map { ($0.id, $0.name) }, prompt: "Choose a unit"),
            .input("place", "s6(5)(b) Place", form, errors, hint: "Where on the unit, for example the lounge or a bedroom corridor"),
            .textarea("reason", "s6(5)(a) Reason for the use of force", form, errors),
            .input("incidentId", "Incident report reference", form, errors, hint: "If an incident report was made, its reference links the two", optional: true),
        ])]
        for row in 0..<interventionRows {
            let prefix = "interventions[\(row)]."
            sections.append(FormSection(title: "Intervention \(row + 1)", intro: row == 0 ? "s6(5)(b)–(d): each type of force, with its times. Leave a row blank if not needed." : nil, controls: [
                .select(prefix + "type", "s6(5)(c) Type of force", form, errors, choices: types, id: prefix + "type", prompt: "Choose the type"),
                .input(prefix + "startDate", "Start date", form, errors, type: "date", id: prefix + "startedAt"),
                .input(prefix + "startTime", "Start time", form, errors, type: "time", id: prefix + "startTime", hint: "24-hour clock, for example 21:30"),
                .input(prefix + "endDate", "End date", form, errors, type: "date", id: prefix + "endedAt"),
                .input(prefix + "endTime", "End time", form, errors, type: "time", id: prefix + "endTime"),
                .input(prefix + "position", "Position", form, errors, id: prefix + "position", hint: "Needed for code 13, a physical restraint position not listed", optional: true),
                .radios(prefix + "planned", "s6(5)(d) Was this type part of the patient's care plan?", form, errors,
                        choices: Self.yesNo, id: prefix + "plannedInCarePlan"),
                .checkbox(prefix + "painBased", "A pain-based technique was used", form, errors,
                          hint: "It must be recorded; it goes to senior review as a safeguarding matter"),
            ], id: row == 0 ? "interventions" : nil, errors: errors))
        }
        sections.append(FormSection(title: "Prone and long restraint", intro: nil, controls: [
            .textarea("proneJustification", "If the patient was prone: why, and when they were released or repositioned", form, errors,
                      hint: "Needed whenever code 01 is recorded. Prone restraint should never be planned.", optional: true),
            .checkbox("confirmLongRestraint", "A physical restraint really lasted more than 24 hours", form, errors),
        ]))
        sections.append(FormSection(title: "How force was used", intro: nil, controls: [
            .textarea("effortsToAvoid", "s6(5)(o) What was tried first to avoid force", form, errors),
            .textarea("description", "s6(5)(f) How force was used", form, errors),
            .textarea("outcome", "s6(5)(m) Outcome", form, errors),
            .radios("harm", "s6(5)(n) Did the patient die or suffer serious injury as a result?", form, errors,
                    choices: [("none", "Neither"), ("serious-injury", "Serious injury"), ("death", "Death")]),
        ]))
        var staff: [FormControl] = []
        for row in 0..<staffRows {
            staff.append(.input("staff[\(row)].name", "Name, person \(row + 1)", form, errors, optional: row > 0))
            staff.append(.input("staff[\(row)].jobTitle", "Job title, person \(row + 1)", form, errors, optional: row > 0))
        }
        staff.append(.radios("nonStaffInvolved", "s6(5)(i) Was anyone other than staff involved, such as the police?", form, errors, choices: Self.yesNo))
        staff.append(.textarea("nonStaffReason", "If so, why", form, errors, optional: true))
        sections.append(FormSection(title: "s6(5)(h) Staff who used force", intro: nil, controls: staff, id: "staff", errors: errors))
        sections.append(FormSection(title: "Police and recorded footage", intro: "Optional. Officers assisting on the unit should wear "
                                    + "body cameras and keep them on (s12); say what happened, and where any footage is held.", controls: [
            // A list rather than radios: an optional answer chosen by mistake can be taken back without a script.
            .select("policeBodyCameras", "Did police officers attend, and were their body cameras on?", form, errors,
                    choices: PoliceBodyCameras.allCases.map { ($0.rawValue, $0.label) }, prompt: "Not recorded"),
            .input("policeForce", "Police force", form, errors, hint: "For example Metropolitan Police Service", optional: true),
            .textarea("policeBodyCameraReason", "If the cameras were not on throughout, why", form, errors, optional: true),
            .input("footageReference", "Footage reference", form, errors,
                    hint: "The police reference or the unit's own camera clip, for anyone reviewing this to request it", optional: true),
        ]))
        let patient: [FormControl] = [
            .input("patientLocalId", "Patient's local identifier", form, errors, hint: "The identifier your records use"),
            .input("patientName", "s6(5)(e) Patient's name", form, errors, optional: true),
            .checkbox("patientNameNotKnown", "The patient's name is not known", form, errors),
            .input("nhsNumber", "s6(5)(g) NHS number", form, errors, hint: "10 digits", optional: true),
            .checkbox("nhsNumberNotKnown", "The patient has no NHS number or it is not known", form, errors),
            .input("mentalDisorder", "s6(5)(j) Mental disorder", form, errors, optional: true),
            .checkbox("mentalDisorderNotKnown", "The mental disorder is not known", form, errors),
            .radios("detained", "Is the patient detained under the Mental Health Act?", form, errors, choices: Self.yesNo),
            .input("detentionSection", "If so, under which section", form, errors, hint: "For example 3", optional: true),
            .radios("learningDisabilityOrAutism", "s6(5)(l) Does the patient have a learning disability or autism?", form, errors,
                    choices: [("yes", "Yes"), ("no", "No"), ("not-known", "Not known")]),
        ]
        sections.append(FormSection(title: "The patient", intro: "Only the unit's managers and the leads see the name and NHS number once saved.",
                                    controls: patient))
        var characteristics: [FormControl] = [
            .radios("characteristicsStatus", "Are they recorded?", form, errors,
                    choices: [("recorded", "Recorded below"), ("not-known", "Not known"), ("declined", "The patient declined to say")]),
        ]
        for characteristic in ProtectedCharacteristic.allCases {
            let name = "characteristics.\(characteristic.rawValue)"
            characteristics.append(.select(name, characteristic.label, form, errors,
                                   choices: characteristic.choices.map { ($0.code, $0.label) } + [(ProtectedCharacteristic.declined, "Declined to say")],
                                   id: name, prompt: "Not known"))
        }
        characteristics.append(.textarea("characteristicsNote", "Anything else relevant about the patient", form, errors, optional: true))
        sections.append(FormSection(title: "s6(5)(k) Relevant characteristics",
                                    intro: "The Equality Act 2010 characteristics, counted to find out whether force falls more often on some groups.",
                                    controls: characteristics, id: "characteristics", errors: errors))
        sections.append(FormSection(title: "Care plan contacts", intro: nil, controls: [
            .radios("carePlanContactsNotified", "s6(5)(p) Were the people named in the care plan told?", form, errors,
                    choices: [("yes", "Yes"), ("no", "No"), ("no-one-named", "The care plan names no one")]),
        ]))
        self.sections = sections
        showsOverlap = errors.items.contains { $0.message.contains("overlaps") }
        overlap = showsOverlap ? .checkbox("confirmOverlap", "I have checked: this is not the same intervention recorded twice", form, errors) : nil
    }
}
