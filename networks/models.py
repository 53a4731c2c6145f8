"""Who: countries, officials, networks and the countries that belong to them."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="officials",
        null=True,
        blank=True,
    )
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

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Network(models.Model):
    """A minilateral: a small, trusted network of countries."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    purpose = models.TextField(_("purpose"), help_text=_("The network's charter in a few lines."))
    is_listed = models.BooleanField(
        _("listed in the directory"),
        default=True,
        help_text=_("Unlisted networks are invisible to everyone outside them."),
    )
    requires_review = models.BooleanField(_("lessons need review before publishing"), default=False)
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
        return f"{self.country} in {self.network}"
