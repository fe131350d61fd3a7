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
    ($( $var:ident => ($name:literal, $scope:ident, $ty:ident, $doc:literal, $unit:literal), )*) => {
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

            /// The unit of a number, as shown after it (empty when none).
            pub fn unit(self) -> &'static str {
                match self { $( Attr::$var => $unit, )* }
            }
        }
    };
}

attrs! {
    CaseKind => ("case.kind", Case, Text, "kind of change: new, growth, shrink or relocation", ""),
    CaseSector => ("case.sector", Case, Text, "sector of the service (settings.toml sectors)", ""),
    CaseMinistry => ("case.ministry", Case, Text, "responsible ministry (settings.toml ministries)", ""),
    CaseFte => ("case.fte", Case, Number, "FTE at stake", "fte"),
    CaseAboveAdvice => ("case.above_advice_threshold", Case, Bool, "FTE at stake is at least thresholds.advice_fte", ""),
    CaseAboveReporting => ("case.above_reporting_threshold", Case, Bool, "FTE at stake is at least thresholds.reporting_fte", ""),
    CasePolicyCore => ("case.policy_core", Case, Bool, "the service is a ministry's policy core", ""),
    CaseHasThemes => ("case.has_themes", Case, Bool, "the case names at least one theme", ""),
    CaseHasMeasuredThemes => ("case.has_measured_themes", Case, Bool, "at least one theme of the case is measured by a sector of the CBS jobs data or named by a delivered regional profile", ""),
    CaseHasRequirements => ("case.has_requirements", Case, Bool, "the case states primary-process requirements", ""),
    CaseHasCurrent => ("case.has_current_locations", Case, Bool, "the case names current locations", ""),
    CaseBound => ("case.bound_to_site", Case, Bool, "the primary process binds the service to a site: `[requirements] bound_to`, or a rail-minutes requirement of at most request.binding_minutes to a current location", ""),
    LocCode => ("location.code", Location, Text, "CBS gemeente code of the location", ""),
    LocProvince => ("location.province", Location, Text, "CBS province code of the location", ""),
    LocCorop => ("location.corop", Location, Text, "COROP region code of the location", ""),
    LocRandstad => ("location.randstad", Location, Bool, "the location's province is in the Randstad set", ""),
    LocUnderServed => ("location.under_served", Location, Bool, "the location's province is under-served (2022 motion)", ""),
    LocCurrent => ("location.current", Location, Bool, "the location is one of the case's current locations", ""),
    LocBound => ("location.bound_site", Location, Bool, "the location is a site the case's primary process binds the service to (see case.bound_to_site)", ""),
    LocMeetsRequirements => ("location.meets_requirements", Location, Bool, "the location meets every case requirement", ""),
    LocThemeMatch => ("location.theme_match", Location, Bool, "the thematic fit is above neutral (the region is more specialised than the country in the case's themes, or a delivered profile names one)", ""),
    LocThemeFit => ("location.theme_fit", Location, Number, "thematic fit: the mean value of the COROP region's location quotients in the sectors of the case's themes (CBS jobs; missing when no theme is measured)", ""),
    LocPresence => ("location.presence_class", Location, Number, "government presence in the gemeente: 3 seat of government, 2 rijkskantoren concentration location, 1 a documented office or defence site, 0 none documented", ""),
    LocOffice => ("location.documented_office", Location, Bool, "the gemeente has a documented government office (the seat of government, a concentration location, an office of a ministry or agency; not a defence site or a desk in a town hall)", ""),
    LocStationClass => ("location.station_class", Location, Number, "best station class in the gemeente (0 none .. 3 megastation)", ""),
    LocMinutesDenHaag => ("location.minutes_den_haag", Location, Number, "rail minutes to Den Haag (GM0518): measured journeys where both stations are covered, else the fitted travel model", "min"),
    LocMinutesUtrecht => ("location.minutes_utrecht", Location, Number, "rail minutes to Utrecht (GM0344), as for Den Haag", "min"),
    LocMinutesAmsterdam => ("location.minutes_amsterdam", Location, Number, "rail minutes to Amsterdam (GM0363), as for Den Haag", "min"),
    LocMinutesGovernment => ("location.minutes_government", Location, Number, "rail minutes to the nearest documented government site (profiles/rijksaanwezigheid.toml): how far the region is from a visible Rijk", "min"),
    LocPopulation => ("location.population", Location, Number, "CBS population of the gemeente on 1 January 2024", "inwoners"),
    LocLabourReach => ("location.labour_reach", Location, Number, "CBS population aged 15 to 65 (1 January 2024) of the gemeenten within the reach time by rail", "inwoners van 15-65"),
    LocStaffRetention => ("location.staff_retention", Location, Number, "share of the current staff who can still commute to the location: the working-age population within reach of the current locations (weighted by their FTE) that also lies within the commuting limit of the location", "%"),
    LocUnemployment => ("location.unemployment_rate", Location, Number, "province unemployment rate 2023 (%)", "%"),
    LocHigherEducated => ("location.higher_educated_share", Location, Number, "province share of higher-educated 15-75 year olds 2022 (%)", "%"),
    LocWoz => ("location.woz", Location, Number, "average WOZ value of dwellings in the gemeente 2023 (EUR 1,000), a proxy for office cost", "x EUR 1.000"),
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
