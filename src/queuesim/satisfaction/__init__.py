"""The satisfaction model: journeys → SERVQUAL dimensions → CSAT, likelihood to recommend, NPS.

A pure, engine-independent package. It takes a journeys table (one row per customer issue,
all its contacts; :data:`JOURNEY_COLUMNS`) and:

- :func:`score_journeys` scores every journey on reliability, responsiveness, assurance,
  empathy and tangibles, combines them with weights and noise into a latent score, CSAT (1–5),
  likelihood to recommend (0–10) and an NPS group;
- :func:`sample_surveys` draws who answers a survey (extremes answer more) and
  :func:`satisfaction_summary` reports true against reported CSAT and NPS;
- :func:`fit_satisfaction` calibrates the weights, cut-points and noise to observed CSAT
  by maximum likelihood (ordered probit), :func:`fit_recommend` the likelihood-to-recommend
  mapping and :func:`fit_survey_response` the survey response rates.

Every parameter (:class:`SatisfactionParameters`) has a documented default and source; they
are assumptions to calibrate with the user's own survey data (docs/satisfaction.md).
"""

from queuesim.satisfaction.calibration import fit_satisfaction
from queuesim.satisfaction.calibration_recommend import fit_recommend
from queuesim.satisfaction.calibration_survey import fit_survey_response
from queuesim.satisfaction.dimensions import dimension_scores, perceived_wait
from queuesim.satisfaction.draws import JourneyDraws
from queuesim.satisfaction.estimation import SatisfactionFit
from queuesim.satisfaction.journeys import (
    JOURNEY_COLUMNS,
    JourneyColumn,
    JourneyTableError,
    check_journeys,
)
from queuesim.satisfaction.parameters import (
    DIMENSIONS,
    Assurance,
    ChannelExperience,
    Csat,
    Empathy,
    FollowUp,
    PerceivedWait,
    Recommend,
    Reliability,
    Responsiveness,
    SatisfactionParameters,
    Survey,
    Weights,
)
from queuesim.satisfaction.scoring import (
    SCORE_COLUMNS,
    csat_from_latent,
    experience_score,
    nps_groups,
    score_journeys,
)
from queuesim.satisfaction.surveys import (
    SURVEY_COLUMNS,
    response_probability,
    sample_surveys,
    satisfaction_summary,
)

__all__ = [
    "DIMENSIONS",
    "JOURNEY_COLUMNS",
    "SCORE_COLUMNS",
    "SURVEY_COLUMNS",
    "Assurance",
    "ChannelExperience",
    "Csat",
    "Empathy",
    "FollowUp",
    "JourneyColumn",
    "JourneyDraws",
    "JourneyTableError",
    "PerceivedWait",
    "Recommend",
    "Reliability",
    "Responsiveness",
    "SatisfactionFit",
    "SatisfactionParameters",
    "Survey",
    "Weights",
    "check_journeys",
    "csat_from_latent",
    "dimension_scores",
    "experience_score",
    "fit_recommend",
    "fit_satisfaction",
    "fit_survey_response",
    "nps_groups",
    "perceived_wait",
    "response_probability",
    "sample_surveys",
    "satisfaction_summary",
    "score_journeys",
]
