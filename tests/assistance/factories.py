"""Requests built through the real services."""

import io

from tahub.assistance.services import RequestData, request_file
from tahub.reference.models import Country, KindOfHelp, Theme

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def request_data(**overrides):
    values = {
        "title": "Inventory of e-waste flows",
        "description": "We need help to build a national inventory of e-waste imports and flows.",
        "themes": list(Theme.objects.filter(code="waste_management.ewaste")),
        "kinds": list(KindOfHelp.objects.filter(code="advice.expert")),
        "languages": ["en"],
        "modality": "in_person",
    }
    values.update(overrides)
    return RequestData(**values)


def emergency_data(**overrides):
    return request_data(
        title="Abandoned drums of hazardous waste at the port",
        urgency="emergency",
        incident_what="About 200 leaking drums, contents unknown, found in a container yard.",
        incident_where="Port of Mombasa",
        incident_quantities="About 40 tonnes",
        kinds=list(KindOfHelp.objects.filter(code="advice")),
        themes=list(Theme.objects.filter(code="emergency")),
        **overrides,
    )


def filed(actor, iso3="KEN", **overrides):
    return request_file(actor=actor, country=Country.objects.get(iso3=iso3), data=request_data(**overrides))


def upload(name="letter.pdf", content=PDF):
    stream = io.BytesIO(content)
    stream.name = name
    return stream
