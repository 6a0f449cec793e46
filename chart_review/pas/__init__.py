"""HL7 Da Vinci PAS and DTR (FHIR R4) at the edge of the service: a PAS request Bundle read as a
review's request and documents (`bundle`), and a decision written back as a `ClaimResponse` and a
DTR `QuestionnaireResponse` whose answers carry their evidence (`responses`). Resources are built
and checked with fhir.resources (its R4B models, which read and write R4's Claim, ClaimResponse
and QuestionnaireResponse unchanged)."""
