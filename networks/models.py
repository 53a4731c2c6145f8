"""Who: countries, officials, networks and the countries that belong to them."""

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minilateral.validators import single_line

# Languages an official may say they speak: every language Django knows, by its English name.
LANGUAGE_CHOICES = sorted(
    ((code, info["name"]) for code, info in LANG_INFO.items() if "name" in info),
    key=lambda choice: choice[1],
)

country_code_validator = RegexValidator(
    r"^[A-Z]{2}$", _("Enter the country's ISO 3166-1 alpha-2 code, such as PT.")
)
domain_validator = RegexValidator(
    r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    _("Enter a domain in lower case, such as gov.pt."),
)


class Attribution(models.TextChoices):
    """How an author is shown to readers outside a lesson's home space."""

    NAMED = "named", _("Named: the person and their country")
    COUNTRY = "country", _("Country: “an official of <country>”")
    CHATHAM = "chatham", _("Chatham House: “a member of <network>”")


class Country(models.Model):
    code = models.CharField(
        _("ISO code"), max_length=2, unique=True, validators=[country_code_validator]
    )
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name


class GovernmentDomain(models.Model):
    """An email domain whose addresses belong to officials of one country."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(
        _("email domain"), max_length=253, unique=True, validators=[domain_validator]
    )

    class Meta:
        ordering = ["domain"]
        verbose_name = _("government email domain")
        verbose_name_plural = _("government email domains")

    def __str__(self):
        return self.domain


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An official needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """An official (or a platform admin). Signs in by email address."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(
        _("full name"), max_length=200, blank=True, validators=[single_line]
    )
    job_title = models.CharField(
        _("job title"), max_length=200, blank=True, validators=[single_line]
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="officials",
        null=True,
        blank=True,
    )
    languages = ArrayField(
        models.CharField(max_length=10, choices=LANGUAGE_CHOICES),
        verbose_name=_("languages spoken"),
        default=list,
        blank=True,
    )
    # One of settings.LANGUAGES, the interface's languages; "" follows the browser. Not a
    # choices field: the languages offered depend on the catalogues compiled (settings.py).
    language = models.CharField(_("language of Minilateral"), max_length=10, blank=True, default="")
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="networks_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    @property
    def display_name(self):
        """The name shown beside their content: a deactivated account is "a former member"."""
        if self.deactivated_at is not None:
            return _("a former member")
        return self.get_full_name()

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def email_language(self):
        """The language their emails are written in: the interface language they chose, else
        the first language they speak that the site offers, else the site's default."""
        offered = {code for code, _name in settings.LANGUAGES}
        if self.language in offered:
            return self.language
        for code in self.languages or ():
            if code in offered or code.split("-")[0] in offered:
                return code if code in offered else code.split("-")[0]
        return settings.LANGUAGE_CODE


# How many different members' flags hide a lesson or comment until a moderator decides: the
# network's convenor sets it, within this range (one flag alone may hide, in a small network).
FLAG_THRESHOLD_DEFAULT = 3
FLAG_THRESHOLD_RANGE = (1, 20)


class Network(models.Model):
    """A minilateral: a small, trusted network of countries."""

    name = models.CharField(_("name"), max_length=200, unique=True, validators=[single_line])
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    purpose = models.TextField(_("purpose"), help_text=_("The network's charter in a few lines."))
    is_listed = models.BooleanField(
        _("listed in the directory"),
        default=True,
        help_text=_("Unlisted networks are invisible to everyone outside them."),
    )
    requires_review = models.BooleanField(_("lessons need review before publishing"), default=False)
    flag_threshold = models.PositiveSmallIntegerField(
        _("flags that hide a lesson or comment"),
        default=FLAG_THRESHOLD_DEFAULT,
        validators=[
            MinValueValidator(FLAG_THRESHOLD_RANGE[0]),
            MaxValueValidator(FLAG_THRESHOLD_RANGE[1]),
        ],
        help_text=_(
            "A lesson or comment flagged by this many different members is hidden pending review."
        ),
    )
    default_attribution = models.CharField(
        _("default attribution"),
        max_length=16,
        choices=Attribution,
        default=Attribution.CHATHAM,
    )
    countries = models.ManyToManyField(
        Country, through="NetworkCountry", related_name="networks", verbose_name=_("countries")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("networks:home", args=[self.slug])


class NetworkCountry(models.Model):
    """A country's membership of a network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="country_links")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="network_links")
    is_active = models.BooleanField(_("active member"), default=True)
    joined_on = models.DateField(_("member since"), default=timezone.localdate)

    class Meta:
        ordering = ["country__name"]
        verbose_name = _("member country")
        verbose_name_plural = _("member countries")
        constraints = [
            models.UniqueConstraint(fields=["network", "country"], name="networks_country_once"),
        ]

    def __str__(self):
        # Without words of any language: the audit log keeps this label as it was when written.
        return f"{self.country} · {self.network}"


class Membership(models.Model):
    """An official in a network, with a role and a state."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        MODERATOR = "moderator", _("Moderator")
        CONVENOR = "convenor", _("Convenor")

        @property
        def can_moderate(self):
            return self in (Membership.Role.MODERATOR, Membership.Role.CONVENOR)

        @property
        def can_manage_members(self):
            return self == Membership.Role.CONVENOR

        @property
        def can_view_insights(self):
            """The network's insights (insights/): for those who run it."""
            return self.can_moderate

        @property
        def can_see_real_authors(self):
            return self.can_moderate

        @property
        def needs_mfa(self):
            return self != Membership.Role.MEMBER

        @classmethod
        def having(cls, capability):
            """The roles that carry a capability, for queries: `role__in=Role.having(...)`."""
            return [role for role in cls if getattr(role, capability)]

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        LEFT = "left", _("Left")

    user = models.ForeignKey(
        User, verbose_name=_("official"), on_delete=models.CASCADE, related_name="memberships"
    )
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role, default=Role.MEMBER)
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.ACTIVE)
    created_at = models.DateTimeField(_("joined"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["network__name", "user__full_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "network"], name="networks_membership_once"),
        ]

    def __str__(self):
        # Without words of any language: the audit log keeps this label as it was when written.
        return f"{self.user} · {self.network}"

    @property
    def capabilities(self):
        return Membership.Role(self.role)


class FocalPoint(models.Model):
    """An official who vouches for their own country's officials in a network."""

    network_country = models.ForeignKey(
        NetworkCountry, on_delete=models.CASCADE, related_name="focal_points"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="focal_point_of")

    class Meta:
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        constraints = [
            models.UniqueConstraint(
                fields=["network_country", "user"], name="networks_focal_point_once"
            ),
        ]

    def __str__(self):
        # Without words of any language: the audit log keeps this label as it was when written.
        return f"{self.user} · {self.network_country}"


class WorkingGroup(models.Model):
    """A smaller, trust-limited space inside a network."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="working_groups"
    )
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    slug = models.SlugField(_("slug"), max_length=100)
    purpose = models.TextField(_("purpose"), blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    members = models.ManyToManyField(
        User, related_name="working_groups", blank=True, verbose_name=_("members")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="networks_group_slug_once"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("networks:working_group", args=[self.network.slug, self.slug])


class Invitation(models.Model):
    """A single-use, expiring invitation of one email address to a network, with a role."""

    email = models.EmailField(_("email address"))
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(
        _("role"), max_length=16, choices=Membership.Role, default=Membership.Role.MEMBER
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    # Only a digest of the secret in the link is stored, so a database reader cannot accept it.
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One open invitation per address and network; a resend replaces its secret.
            models.UniqueConstraint(
                Lower("email"),
                "network",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="networks_one_open_invitation",
            ),
        ]

    def __str__(self):
        # Without words of any language: the audit log keeps this label as it was when written.
        return f"{self.email} · {self.network}"

    @property
    def is_usable(self):
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and timezone.now() < self.expires_at
        )


class JoinRequest(models.Model):
    """An official asking to join a network their country belongs to."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="join_requests")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(_("message"), max_length=1000, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.PENDING)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "network"],
                condition=models.Q(state="pending"),
                name="networks_one_pending_join_request",
            ),
        ]

    def __str__(self):
        # Without words of any language: the audit log keeps this label as it was when written.
        return f"{self.user} · {self.network}"


class AuditEvent(models.Model):
    """Who did what to membership, roles, audiences, attribution, moderation and exports.

    Append-only: a database trigger refuses UPDATE and DELETE (migration 0003).
    """

    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=300, blank=True)
    changes = models.JSONField(_("what changed"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_label}"


class AccessDenial(models.Model):
    """A signed-in official refused a page (404 or 403): who, what, when; never any content.

    Platform admins see these in the admin, where repeated probing by one account stands out.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    status = models.PositiveSmallIntegerField()
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("refused access")
        verbose_name_plural = _("refused accesses")

    def __str__(self):
        return f"{self.status} {self.method} {self.path}"


class FormSubmission(models.Model):
    """A form's one-time token, used: a double click, a back-and-resubmit or two concurrent
    POSTs of one form do its work once, and the repeat lands where the first one did
    (networks/submissions.py). Kept a day."""

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    result_url = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return f"{self.path} {self.created_at:%Y-%m-%d %H:%M}"
