"""The demo cast's lessons (called by seed_demo): every audience, attribution and state, and
what the moderators find (a lesson in review, flags, a widening request, featured lessons, a
collection in each network). The discussions on them are seeded by demo/discussions.py."""

from django.core.files.base import ContentFile
from django.utils.text import slugify

from demo.discussions import seed_comment_flags, seed_discussions
from lessons import services
from lessons.models import Endorsement, Lesson, PolicyArea, TechnologyArea
from networks.models import Attribution
from notifications import services as notifications

TECHNOLOGY_AREAS = [
    "Digital identity",
    "Payments",
    "Data exchange",
    "Cloud",
    "Artificial intelligence",
    "Service design",
    "Open source",
    "Cybersecurity",
]
POLICY_AREAS = ["Public services", "Health", "Tax", "Social protection", "Justice", "Procurement"]

# A one-page PDF, small enough to live here, so the demo has an attachment to download.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

LESSONS = [
    {
        "author": "lucia.perez@gub.uy",
        "network": "digital-nations",
        "title": "Digital identity wallet: trust came before features",
        "summary": "Uruguay's mobile identity wallet reached a million users only after we "
        "stopped adding features and fixed enrolment at the counter.",
        "technology": "Digital identity",
        "policy": "Public services",
        "stage": Lesson.Stage.AT_SCALE,
        "year": 2024,
        "outcome": Lesson.Outcome.WORKED,
        "intended": "A wallet holding the national ID, driving licence and health card.",
        "happened": "Adoption stalled at 8% for a year. In-person enrolment took 40 minutes.",
        "worked": "- Enrolment at 300 post offices, in **under five minutes**\n"
        "- Publishing the security audit in full",
        "did_not_work": "Launching with twelve credentials at once: support could not cope.",
        "why": "People trust a wallet they were helped to set up by a person.",
        "recommendations": "Start with one credential people use every week.",
        "evidence": "Adoption rose from 8% to 41% in 14 months. "
        "[Audit summary](https://www.gub.uy/)",
        "transfer_conditions": "Needs a dense network of trusted counters.",
        "tags": ["digital identity", "adoption", "wallet"],
        "audience": "public",
        "attribution": Attribution.NAMED,
        "endorsements": [
            (
                "minjun.kim@korea.kr",
                Endorsement.Kind.APPLIED,
                "We moved enrolment to post offices.",
            ),
            ("kadri.tamm@riik.ee", Endorsement.Kind.USEFUL, ""),
        ],
        "attachment": "wallet-audit-summary.pdf",
        "revise": {
            "summary": "Uruguay's identity wallet passed a million users only after we "
            "stopped adding features and fixed enrolment at the counter."
        },
    },
    {
        "author": "joao.silva@gov.pt",
        "network": "digital-nations",
        "title": "Cloud-first procurement stalled on data residency",
        "summary": "Our cloud-first policy produced framework contracts nobody used, "
        "because the data residency rules came after the tenders.",
        "technology": "Cloud",
        "policy": "Procurement",
        "stage": Lesson.Stage.SCALING,
        "year": 2023,
        "outcome": Lesson.Outcome.MIXED,
        "intended": "Move 60% of ministries' workloads to commercial cloud in three years.",
        "happened": "Contracts were signed; usage stayed under 10% until the residency guidance.",
        "worked": "A shared landing zone that ministries could join in a week.",
        "did_not_work": "Tendering before the data classification was settled.",
        "why": "Lawyers in each ministry read the rules differently.",
        "recommendations": "Publish the classification scheme before the first tender.",
        "tags": ["cloud", "procurement"],
        "audience": "all_networks",
        "attribution": Attribution.COUNTRY,
        "endorsements": [("lucia.perez@gub.uy", Endorsement.Kind.TRYING, "")],
    },
    {
        "author": "minjun.kim@korea.kr",
        "network": "digital-nations",
        "title": "AI chatbot for tax questions: accuracy was not the hard part",
        "summary": "A large-language-model assistant answered 90% of tax questions correctly; "
        "what nearly sank it was escalation to a human.",
        "technology": "Artificial intelligence",
        "policy": "Tax",
        "stage": Lesson.Stage.PILOT,
        "year": 2025,
        "outcome": Lesson.Outcome.MIXED,
        "intended": "Cut call-centre waiting times in the filing season.",
        "happened": "Waiting times fell by a third; complaints about dead ends rose.",
        "worked": "Answers grounded in the published guidance, with the source linked.",
        "did_not_work": "No clear hand-over to an agent when the bot was unsure.",
        "why": "The escalation path was designed last.",
        "recommendations": "Design the hand-over first.",
        "tags": ["artificial intelligence", "tax", "contact centre"],
        "audience": "network",
        "attribution": Attribution.CHATHAM,
        "endorsements": [("lucia.perez@gub.uy", Endorsement.Kind.USEFUL, "")],
    },
    {
        "author": "minjun.kim@korea.kr",
        "network": "digital-nations",
        "group": "digital-identity",
        "title": "Biometric matching at the border: the false rejections we did not expect",
        "summary": "Face matching worked in the lab and failed for older travellers at the gate.",
        "technology": "Digital identity",
        "stage": Lesson.Stage.PILOT,
        "year": 2025,
        "outcome": Lesson.Outcome.DID_NOT_WORK,
        "worked": "Keeping a staffed lane open from day one.",
        "did_not_work": "Thresholds tuned on a young test population.",
        "tags": ["biometrics", "digital identity"],
        "audience": "group",
        "attribution": Attribution.CHATHAM,
    },
    {
        "author": "kadri.tamm@riik.ee",
        "network": "digital-nations",
        "title": "Once-only principle: the registry clean-up nobody budgeted",
        "summary": "Asking citizens for data only once meant first making eleven registries agree.",
        "technology": "Data exchange",
        "policy": "Public services",
        "stage": Lesson.Stage.AT_SCALE,
        "year": 2022,
        "outcome": Lesson.Outcome.WORKED,
        "worked": "A data quality team with the power to fix source registries.",
        "did_not_work": "Assuming registries were clean because they were digital.",
        "tags": ["once-only", "data exchange", "registries"],
        "audience": "network",
        "attribution": Attribution.NAMED,
        "endorsements": [("joao.silva@gov.pt", Endorsement.Kind.APPLIED, "Adopted for tax data.")],
    },
    {
        "author": "lucia.perez@gub.uy",
        "network": "digital-nations",
        "title": "Open-source case management: notes from a first year",
        "summary": "Draft: what we learned adopting an open-source case management system.",
        "technology": "Open source",
        "stage": Lesson.Stage.PILOT,
        "year": 2026,
        "worked": "The community answered our questions within days.",
        "did_not_work": "",
        "tags": ["open source"],
        "audience": "network",
        "attribution": Attribution.CHATHAM,
        "draft": True,
    },
    {
        "author": "lucia.perez@gub.uy",
        "network": "digital-nations",
        "language": "es",
        "title": "Firma electrónica en la nube: la confianza se construyó en los municipios",
        "summary": "La firma electrónica avanzada en el teléfono llegó a todo el país cuando los "
        "municipios ayudaron a la gente a activarla, no cuando la publicitamos.",
        "technology": "Digital identity",
        "policy": "Public services",
        "stage": Lesson.Stage.SCALING,
        "year": 2025,
        "outcome": Lesson.Outcome.WORKED,
        "happened": "En seis meses, solo un 5% activó la firma desde su casa.",
        "worked": "Activación asistida en los municipios, con un funcionario al lado.",
        "did_not_work": "Una campaña de publicidad sin nadie que respondiera las dudas.",
        "recommendations": "Empezar por los trámites que la gente hace cada mes.",
        "tags": ["firma electrónica", "digital identity", "adoption"],
        "audience": "all_networks",
        "attribution": Attribution.COUNTRY,
    },
    {
        "author": "joao.silva@gov.pt",
        "network": "digital-nations",
        "language": "pt",
        "title": "Balcão único digital: menos formulários, mais confiança",
        "summary": "Juntar os serviços de registo num só balcão digital reduziu os formulários "
        "a metade, mas só depois de os serviços partilharem os dados dos cidadãos.",
        "technology": "Service design",
        "policy": "Public services",
        "stage": Lesson.Stage.AT_SCALE,
        "year": 2023,
        "outcome": Lesson.Outcome.MIXED,
        "worked": "Um único formulário com os dados já preenchidos a partir dos registos.",
        "did_not_work": "Prazos de integração que ignoravam os sistemas antigos das câmaras.",
        "tags": ["balcão único", "once-only", "service design"],
        "audience": "network",
        "attribution": Attribution.CHATHAM,
    },
    {
        "author": "priya.sharma@gov.in",
        "network": "dpi-peer-network",
        "title": "Real-time payments: interoperability from the first day",
        "summary": "Making every bank join one switch, with one QR standard, did more for "
        "adoption than any incentive.",
        "technology": "Payments",
        "policy": "Social protection",
        "stage": Lesson.Stage.AT_SCALE,
        "year": 2021,
        "outcome": Lesson.Outcome.WORKED,
        "worked": "A single QR standard that any app could read.",
        "did_not_work": "Early fee caps that left banks no reason to invest.",
        "why": "Interoperability made small merchants' choice of app irrelevant.",
        "tags": ["payments", "interoperability", "qr codes"],
        "audience": "public",
        "attribution": Attribution.CHATHAM,
        "endorsements": [("wanjiru.kamau@go.ke", Endorsement.Kind.APPLIED, "Informed our switch.")],
    },
    {
        "author": "wanjiru.kamau@go.ke",
        "network": "dpi-peer-network",
        "title": "Data exchange layer: the consent screens people skipped",
        "summary": "Consent that people click through is not consent. What we changed.",
        "technology": "Data exchange",
        "policy": "Health",
        "stage": Lesson.Stage.SCALING,
        "year": 2025,
        "outcome": Lesson.Outcome.MIXED,
        "worked": "Plain-language consent tested with users in three languages.",
        "did_not_work": "One long consent screen for every data use.",
        "tags": ["consent", "data exchange"],
        "audience": "network",
        "attribution": Attribution.COUNTRY,
    },
    {
        "author": "priya.sharma@gov.in",
        "network": "dpi-peer-network",
        "title": "Digital ID for welfare: exclusion errors we measured",
        "summary": "Waiting for review: what authentication failures cost the poorest.",
        "technology": "Digital identity",
        "policy": "Social protection",
        "stage": Lesson.Stage.AT_SCALE,
        "year": 2024,
        "outcome": Lesson.Outcome.MIXED,
        "worked": "Offline fallback with a village official's attestation.",
        "did_not_work": "Fingerprint authentication for manual labourers.",
        "tags": ["digital identity", "inclusion"],
        "audience": "network",
        "attribution": Attribution.CHATHAM,
        "submit": True,
    },
]


def seed_lessons(users, networks):
    # The demo's history goes to the inboxes, not to anyone's mailbox.
    with notifications.without_email():
        _seed_lessons(users, networks)
        seed_discussions(users)
        seed_comment_flags(users)


def _seed_lessons(users, networks):
    for name in TECHNOLOGY_AREAS:
        TechnologyArea.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    for name in POLICY_AREAS:
        PolicyArea.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    for spec in LESSONS:
        network = networks[spec["network"]]
        if Lesson.objects.filter(network=network, title=spec["title"]).exists():
            continue
        _create(spec, users, network)
    seed_moderation(users, networks)


def _lesson(title):
    return Lesson.objects.get(title=title)


# What the moderators find: a lesson in review, flags, a widening request, featured lessons,
# and a collection in each network.
COLLECTIONS = [
    (
        "digital-nations",
        "joao.silva@gov.pt",
        "Digital identity playbook",
        "What our members learned rolling out digital identity, in the order we would read it.",
        "public",
        [
            "Digital identity wallet: trust came before features",
            "Once-only principle: the registry clean-up nobody budgeted",
            "Biometric matching at the border: the false rejections we did not expect",
        ],
    ),
    (
        "dpi-peer-network",
        "wanjiru.kamau@go.ke",
        "Payments and data exchange",
        "Digital public infrastructure that moved money and data.",
        "all_networks",
        [
            "Real-time payments: interoperability from the first day",
            "Data exchange layer: the consent screens people skipped",
        ],
    ),
]


def seed_moderation(users, networks):
    from lessons.models import AudienceRequest
    from moderation import curation
    from moderation import services as moderation
    from moderation.models import Collection, Flag

    digital_nations = networks["digital-nations"]
    chatbot = _lesson("AI chatbot for tax questions: accuracy was not the hard part")
    if not Flag.objects.filter(lesson=chatbot).exists():
        moderation.flag_raise(
            acting_user=users["lucia.perez@gub.uy"],
            lesson=chatbot,
            reason=Flag.Reason.INACCURATE,
            note="The 90% figure is from the pilot month only.",
        )
    if not AudienceRequest.objects.filter(lesson=chatbot).exists():
        services.lesson_change_audience(
            acting_user=users["minjun.kim@korea.kr"], lesson=chatbot, audience="all_networks"
        )
    review_title = "Digital service standard: assessments that teams dreaded"
    if not Lesson.objects.filter(title=review_title).exists():
        _create(
            {
                "author": "lucia.perez@gub.uy",
                "network": "digital-nations",
                "title": review_title,
                "summary": "Service assessments became a gate teams feared until we made them "
                "a conversation early in the project.",
                "technology": "Service design",
                "policy": "Public services",
                "stage": Lesson.Stage.SCALING,
                "year": 2025,
                "outcome": Lesson.Outcome.MIXED,
                "worked": "Assessments at alpha, not only before going live.",
                "did_not_work": "Pass/fail verdicts published without context.",
                "tags": ["service design", "standards"],
                "audience": "network",
                "attribution": Attribution.COUNTRY,
                "draft": True,
            },
            users,
            digital_nations,
        )
        # Submitted when Digital Nations still reviewed every lesson: it waits in João's queue.
        Lesson.objects.filter(title=review_title).update(state=Lesson.State.IN_REVIEW)
    for title, email in [
        ("Digital identity wallet: trust came before features", "joao.silva@gov.pt"),
        ("Real-time payments: interoperability from the first day", "wanjiru.kamau@go.ke"),
    ]:
        lesson = _lesson(title)
        if not lesson.is_featured:
            moderation.lesson_feature(acting_user=users[email], lesson=lesson, featured=True)
    for slug, email, title, introduction, audience, titles in COLLECTIONS:
        network = networks[slug]
        if Collection.objects.filter(network=network, title=title).exists():
            continue
        collection = curation.collection_create(
            acting_user=users[email],
            network=network,
            title=title,
            introduction=introduction,
            audience=audience,
        )
        for lesson_title in titles:
            curation.collection_add_lesson(
                acting_user=users[email], collection=collection, lesson=_lesson(lesson_title)
            )


def _create(spec, users, network):
    author = users[spec["author"]]
    group = network.working_groups.get(slug=spec["group"]) if spec.get("group") else None
    data = {
        key: spec.get(key, "")
        for key in [
            "title",
            "summary",
            "intended",
            "happened",
            "worked",
            "did_not_work",
            "why",
            "recommendations",
            "evidence",
            "transfer_conditions",
        ]
    }
    data.update(
        organisation=author.organisation,
        stage=spec["stage"],
        year=spec["year"],
        outcome=spec.get("outcome", Lesson.Outcome.MIXED),
        language=spec.get("language", "en"),
        attribution=spec["attribution"],
        technology_area=TechnologyArea.objects.filter(name=spec.get("technology")).first(),
        policy_area=PolicyArea.objects.filter(name=spec.get("policy")).first(),
    )
    lesson = services.lesson_create(
        acting_user=author, network=network, working_group=group, data=data, tags=spec["tags"]
    )
    if spec.get("draft"):
        return lesson
    if spec.get("submit"):  # left waiting for a moderator's review
        return services.lesson_publish(acting_user=author, lesson=lesson)
    if network.requires_review:
        lesson = services.lesson_publish(acting_user=author, lesson=lesson)
        moderator = _a_moderator(network, users)
        lesson = services.lesson_review_approve(acting_user=moderator, lesson=lesson)
    else:
        lesson = services.lesson_publish(acting_user=author, lesson=lesson)
    if spec["audience"] != lesson.audience:
        request = services.lesson_change_audience(
            acting_user=author, lesson=lesson, audience=spec["audience"]
        )
        if request is not None and request.state == "pending":
            services.audience_request_decide(
                acting_user=_a_moderator(network, users, not_user=author),
                request=request,
                approve=True,
            )
    lesson.refresh_from_db()
    for email, kind, note in spec.get("endorsements", []):
        services.endorsement_toggle(acting_user=users[email], lesson=lesson, kind=kind, note=note)
    if spec.get("attachment"):
        upload = ContentFile(DEMO_PDF, name=spec["attachment"])
        services.attachment_add(acting_user=author, lesson=lesson, upload=upload)
    if spec.get("revise"):
        lesson.refresh_from_db()
        services.lesson_update(
            acting_user=author,
            lesson=lesson,
            data=spec["revise"],
            tags=spec["tags"],
            version=lesson.version,
        )
    return lesson


def _a_moderator(network, users, not_user=None):
    from networks import access as network_access

    for membership in (
        network_access.active_memberships().filter(network=network).select_related("user")
    ):
        if membership.capabilities.can_moderate and membership.user != not_user:
            return membership.user
    raise LookupError(f"{network} has no moderator for the demo")
