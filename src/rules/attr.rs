//! The known attributes of a case and of a candidate location, with their types and docs.

use std::collections::BTreeMap;

/// Whether an attribute describes the case or a candidate location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Case,
    Location,
}

/// The type of an attribute's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    Bool,
    Number,
    Text,
}

impl AttrType {
    /// A word for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            AttrType::Bool => "a boolean",
            AttrType::Number => "a number",
            AttrType::Text => "a string",
        }
    }
}

/// A value of an attribute.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Number(f64),
    Text(String),
}

macro_rules! attrs {
    ($( $var:ident => ($name:literal, $scope:ident, $ty:ident, $doc:literal, $nl:literal, $en:literal, $unit:literal), )*) => {
        /// An attribute that predicates and criteria may refer to.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Attr { $( $var, )* }

        impl Attr {
            /// Every attribute, in documentation order.
            pub const ALL: &'static [Attr] = &[ $( Attr::$var, )* ];

            /// The name used in rules files, for example `location.randstad`.
            pub fn name(self) -> &'static str {
                match self { $( Attr::$var => $name, )* }
            }

            /// Whether the attribute belongs to the case or to a location.
            pub fn scope(self) -> Scope {
                match self { $( Attr::$var => Scope::$scope, )* }
            }

            /// The type of its values.
            pub fn ty(self) -> AttrType {
                match self { $( Attr::$var => AttrType::$ty, )* }
            }

            /// One line of documentation.
            pub fn doc(self) -> &'static str {
                match self { $( Attr::$var => $doc, )* }
            }

            /// The attribute in Dutch words: a noun for a number or a name; for a boolean the
            /// phrase for true and the phrase for false, separated by `|` ("ligt in de
            /// Randstad|ligt buiten de Randstad").
            pub fn words_nl(self) -> &'static str {
                match self { $( Attr::$var => $nl, )* }
            }

            /// The attribute in English words, as [`Attr::words_nl`].
            pub fn words_en(self) -> &'static str {
                match self { $( Attr::$var => $en, )* }
            }

            /// The unit of a number, as shown after it (empty when none).
            pub fn unit(self) -> &'static str {
                match self { $( Attr::$var => $unit, )* }
            }
        }
    };
}

attrs! {
    CaseKind => ("case.kind", Case, Text, "kind of change: new, growth, shrink or relocation", "soort wijziging", "kind of change", ""),
    CaseSector => ("case.sector", Case, Text, "sector of the service (settings.toml sectors)", "sector", "sector", ""),
    CaseMinistry => ("case.ministry", Case, Text, "responsible ministry (settings.toml ministries)", "ministerie", "ministry", ""),
    CaseFte => ("case.fte", Case, Number, "FTE at stake", "omvang", "size", "fte"),
    CaseAboveAdvice => ("case.above_advice_threshold", Case, Bool, "FTE at stake is at least thresholds.advice_fte", "gaat om ten minste de adviesdrempel|gaat om minder dan de adviesdrempel", "is at least the advice threshold|is below the advice threshold", ""),
    CaseAboveReporting => ("case.above_reporting_threshold", Case, Bool, "FTE at stake is at least thresholds.reporting_fte", "gaat om ten minste de rapportagedrempel|gaat om minder dan de rapportagedrempel", "is at least the reporting threshold|is below the reporting threshold", ""),
    CasePolicyCore => ("case.policy_core", Case, Bool, "the service is a ministry's policy core", "is een beleidskern van een ministerie|is geen beleidskern van een ministerie", "is a ministry's policy core|is not a ministry's policy core", ""),
    CaseHasThemes => ("case.has_themes", Case, Bool, "the case names at least one theme", "noemt thema's|noemt geen thema's", "names themes|names no themes", ""),
    CaseHasRequirements => ("case.has_requirements", Case, Bool, "the case states primary-process requirements", "stelt eisen vanuit het primaire proces|stelt geen eisen vanuit het primaire proces", "states primary-process requirements|states no primary-process requirements", ""),
    CaseHasCurrent => ("case.has_current_locations", Case, Bool, "the case names current locations", "noemt huidige locaties|noemt geen huidige locaties", "names current locations|names no current locations", ""),
    LocCode => ("location.code", Location, Text, "CBS gemeente code of the location", "gemeente", "gemeente", ""),
    LocProvince => ("location.province", Location, Text, "CBS province code of the location", "provincie", "province", ""),
    LocCorop => ("location.corop", Location, Text, "COROP region code of the location", "COROP-gebied", "COROP region", ""),
    LocRandstad => ("location.randstad", Location, Bool, "the location's province is in the Randstad set", "ligt in de Randstad|ligt buiten de Randstad", "lies in the Randstad|lies outside the Randstad", ""),
    LocUnderServed => ("location.under_served", Location, Bool, "the location's province is under-served (2022 motion)", "ligt in een onderbedeelde provincie|ligt niet in een onderbedeelde provincie", "lies in an under-served province|does not lie in an under-served province", ""),
    LocCurrent => ("location.current", Location, Bool, "the location is one of the case's current locations", "is een huidige locatie|is geen huidige locatie", "is a current location|is not a current location", ""),
    LocMeetsRequirements => ("location.meets_requirements", Location, Bool, "the location meets every case requirement", "voldoet aan de eisen van de casus|voldoet niet aan de eisen van de casus", "meets the case's requirements|does not meet the case's requirements", ""),
    LocThemeMatch => ("location.theme_match", Location, Bool, "the province's kernkwaliteiten name at least one case theme", "sluit thematisch aan|sluit thematisch niet aan", "matches a theme|matches no theme", ""),
    LocThemeFit => ("location.theme_fit", Location, Number, "share of the case's themes among the province's kernkwaliteiten (missing without themes)", "thematische aansluiting", "thematic fit", ""),
    LocPresence => ("location.presence_class", Location, Number, "government presence in the gemeente: 3 seat of government, 2 rijkskantoren concentration location, 1 other documented presence (rijksontmoetingsplein, rijkshub), 0 none documented", "rijksaanwezigheidsklasse", "government presence class", ""),
    LocStationClass => ("location.station_class", Location, Number, "best station class in the gemeente (0 none .. 3 megastation)", "stationsklasse", "station class", ""),
    LocMinutesDenHaag => ("location.minutes_den_haag", Location, Number, "rail minutes to Den Haag (GM0518): measured journeys where both stations are covered, else the fitted travel model", "reistijd per trein naar Den Haag", "rail minutes to Den Haag", "min"),
    LocMinutesUtrecht => ("location.minutes_utrecht", Location, Number, "rail minutes to Utrecht (GM0344), as for Den Haag", "reistijd per trein naar Utrecht", "rail minutes to Utrecht", "min"),
    LocMinutesAmsterdam => ("location.minutes_amsterdam", Location, Number, "rail minutes to Amsterdam (GM0363), as for Den Haag", "reistijd per trein naar Amsterdam", "rail minutes to Amsterdam", "min"),
    LocMinutesGovernment => ("location.minutes_government", Location, Number, "rail minutes to the nearest documented government site (profiles/rijksaanwezigheid.toml): how far the region is from a visible Rijk", "reistijd naar de dichtstbijzijnde rijkslocatie", "rail minutes to the nearest government site", "min"),
    LocPopulation => ("location.population", Location, Number, "CBS population of the gemeente on 1 January 2024", "inwoners", "inhabitants", "inwoners"),
    LocLabourReach => ("location.labour_reach", Location, Number, "CBS population aged 15 to 65 (1 January 2024) of the gemeenten within the reach time by rail", "beroepsbevolking binnen reistijd", "working-age population within reach", "inwoners van 15-65"),
    LocStaffRetention => ("location.staff_retention", Location, Number, "share of the current staff who can still commute to the location: the working-age population within reach of the current locations (weighted by their FTE) that also lies within the commuting limit of the location", "behoud van huidig personeel", "staff retention", "%"),
    LocUnemployment => ("location.unemployment_rate", Location, Number, "province unemployment rate 2023 (%)", "werkloosheid in de provincie", "provincial unemployment", "%"),
    LocHigherEducated => ("location.higher_educated_share", Location, Number, "province share of higher-educated 15-75 year olds 2022 (%)", "aandeel hoger opgeleiden in de provincie", "share of higher-educated people in the province", "%"),
    LocWoz => ("location.woz", Location, Number, "average WOZ value of dwellings in the gemeente 2023 (EUR 1,000), a proxy for office cost", "gemiddelde WOZ-waarde", "average WOZ value", "x EUR 1.000"),
}

impl Attr {
    /// Looks an attribute up by its name.
    pub fn parse(name: &str) -> Option<Attr> {
        Attr::ALL.iter().copied().find(|a| a.name() == name)
    }
}

/// The values of attributes for one evaluation: the case's and one location's. A missing entry
/// means the figure is unknown.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub values: BTreeMap<Attr, Value>,
}

impl Facts {
    /// The value of an attribute, when known.
    pub fn get(&self, attr: Attr) -> Option<&Value> {
        self.values.get(&attr)
    }

    /// Sets a value.
    pub fn set(&mut self, attr: Attr, value: Value) {
        self.values.insert(attr, value);
    }

    /// A number attribute, when known.
    pub fn number(&self, attr: Attr) -> Option<f64> {
        match self.values.get(&attr) {
            Some(Value::Number(n)) => Some(*n),
            Some(Value::Bool(b)) => Some(if *b { 1.0 } else { 0.0 }),
            _ => None,
        }
    }
}
