import Foundation
import HavenCore

// MARK: - Proportions (the shape of MHSDS restrictive intervention statistics, not exact figures)

extension DemoUseOfForce {
    static let interventionCounts = Weighted<Int>([(1, 62), (2, 28), (3, 10)])

    /// Physical restraint about two thirds of interventions, chemical a fifth, seclusion and segregation the rest.
    static let types = Weighted<RestrictiveInterventionType>([
        (.standing, 16), (.restrictiveEscort, 14), (.supine, 9), (.seated, 9), (.side, 5), (.kneeling, 3), (.physicalOther, 2), (.prone, 6),
        (.rapidTranquillisation, 9), (.injectionNonRapid, 3), (.oral, 7), (.chemicalOther, 1),
        (.seclusion, 9), (.segregation, 2), (.mechanical, 1),
    ])

    /// Most physical restraints last a few minutes; a long tail to an hour.
    static let restraintMinutes = Weighted<Int>([(1, 10), (2, 14), (3, 14), (4, 11), (5, 10), (7, 10), (10, 9), (15, 8), (20, 6), (30, 5), (45, 2), (60, 1)])
    /// Prone is released quickly most of the time; about one in six lasts 10 minutes or more.
    static let proneMinutes = Weighted<Int>([(1, 20), (2, 22), (3, 16), (5, 16), (7, 10), (10, 8), (15, 5), (25, 3)])

    static let hours = Weighted<Int>([2, 2, 1, 1, 1, 1, 2, 4, 6, 7, 7, 6, 6, 6, 6, 7, 8, 9, 10, 10, 8, 6, 4, 3].enumerated().map { ($0.offset, $0.element) })

    static let harms = Weighted<HarmOutcome>([(.noHarm, 9350), (.seriousInjury, 645), (.death, 5)])
    static let notified = Weighted<NotificationAnswer>([(.yes, 70), (.no, 12), (.noOneNamed, 18)])
    static let learningDisability = Weighted<String>([("no", 78), ("yes", 12), ("not-known", 10)])
    static let sections = Weighted<String>([("2", 35), ("3", 45), ("37", 10), ("37/41", 5), ("136", 5)])

    /// Patients' ethnic categories (NHS codes); the pool is drawn in these proportions and the population entered
    /// for each unit says the same, so any ratio away from 1 comes from whom force was used on.
    static let ethnicityShares: [(String, Int)] = [("A", 62), ("B", 2), ("C", 6), ("D", 2), ("E", 1), ("F", 1), ("G", 1), ("H", 3), ("J", 3),
                                                   ("K", 1), ("L", 2), ("M", 5), ("N", 6), ("P", 2), ("R", 1), ("S", 2)]
    static let sexShares: [(String, Int)] = [("male", 58), ("female", 41), ("indeterminate", 1)]
    static let ageBandShares: [(String, Int)] = [("under-18", 3), ("18-24", 16), ("25-34", 27), ("35-44", 21), ("45-54", 15), ("55-64", 11), ("65-plus", 7)]
    static let religionShares: [(String, Int)] = [("none", 38), ("christian", 40), ("muslim", 10), ("hindu", 3), ("sikh", 2), ("jewish", 1),
                                                  ("buddhist", 1), ("other", 5)]
    static let ethnicities = Weighted<String>(ethnicityShares)
    static let sexes = Weighted<String>(sexShares)
    static let ageBands = Weighted<String>(ageBandShares)
    static let religions = Weighted<String>(religionShares)

    static let reasons = ["Assaulting another patient", "Attempting to leave while detained and at risk", "Self-harm with a ligature",
                          "Threatening staff with a broken chair", "Refusing prescribed medication while very unwell", "Head-banging against a wall",
                          "Fighting with another patient", "Trying to climb the garden fence"]
    static let places = ["Lounge", "Corridor", "Bedroom", "Dining room", "Garden", "Nursing office doorway", "Seclusion room", "Clinic room"]
    static let descriptions = ["Two staff held the patient's arms while standing, then walked them to their bedroom",
                               "Three staff guided the patient to the floor and held them on their side until calm",
                               "Restrictive escort to the seclusion room with two staff", "Patient held seated on the sofa by two staff",
                               "Intramuscular medication given as prescribed under the rapid tranquillisation policy"]
    static let outcomes = ["Calm within minutes and talked with their named nurse", "Settled after medication; physical observations done",
                           "Released when calm; no injury seen", "Remained in seclusion with observations every 15 minutes"]
    static let efforts = ["Talking down, offered time in a quiet room", "Offered PRN oral medication first", "Distraction and space; family called",
                          "Reduced stimulation, staff swapped to one the patient trusts"]
    static let proneReasons = ["Fell forward during the hold; turned to the side within a minute",
                               "Went prone during a floor hold; released to supine as soon as safe"]
    static let disorders = ["Psychosis", "Schizophrenia", "Bipolar affective disorder", "Personality disorder", "Severe depression", "Dementia"]
    static let staffNames = ["Sam Okafor", "Priya Shah", "Kim Evans", "Lee Brown", "Ola Adeyemi", "Chris Walsh", "Maria Silva", "Dev Patel"]
    static let jobTitles = ["Staff nurse", "Healthcare assistant", "Charge nurse", "Ward manager", "Student nurse"]
    static let patientNames = ["Alex", "Jordan", "Casey", "Morgan", "Riley", "Taylor", "Jamie", "Robin", "Sasha", "Kai"]
    static let surnames = ["Doe", "Smith", "Khan", "Williams", "Mensah", "Nowak", "Jones", "Ahmed", "Murphy", "Clarke"]
}
