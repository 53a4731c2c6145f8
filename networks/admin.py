"""The Django admin, for platform admins. Every change made here is an audit event too."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from networks import account_services, services
from networks.models import (
    AccessDenial,
    AuditEvent,
    Country,
    FocalPoint,
    GovernmentDomain,
    Invitation,
    JoinRequest,
    Membership,
    Network,
    NetworkCountry,
    User,
    WorkingGroup,
)


def _network_of(obj):
    """The network an admin change belongs to, for the audit log's per-network view."""
    if isinstance(obj, Network):
        return obj
    if isinstance(obj, FocalPoint):
        return obj.network_country.network
    return getattr(obj, "network", None)


class AuditedAdminMixin:
    """Write one audit event for every addition, change and deletion made through the admin.

    Django's admin reports each of them, after saving and before deleting, through its
    `log_addition` / `log_change` / `log_deletions` hooks, inside the view's transaction, with
    a message of what changed (fields and inlines). Hooking there, rather than `save_model`
    and friends, also catches the password form and the bulk "delete selected" action.
    """

    def _audit(self, request, action, obj, message):
        network = _network_of(obj)
        if action == "admin.delete" and network is obj:
            network = None  # the event outlives the network it records the deletion of
        services.audit_record(
            actor=request.user,
            action=action,
            network=network,
            target=obj,
            changes={"admin": message} if message else {},
        )

    def log_addition(self, request, obj, message):
        self._audit(request, "admin.add", obj, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, "admin.change", obj, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, "admin.delete", obj, None)
        return super().log_deletions(request, queryset)

    def response_action(self, request, *args, **kwargs):
        # Bulk actions (delete selected) run outside the admin's own transaction: audit event
        # and deletion must stand or fall together.
        with transaction.atomic():
            return super().response_action(request, *args, **kwargs)


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass


class GovernmentDomainInline(admin.TabularInline):
    model = GovernmentDomain
    extra = 1


@admin.register(Country)
class CountryAdmin(AuditedModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code", "domains__domain"]
    inlines = [GovernmentDomainInline]


class NetworkCountryInline(admin.TabularInline):
    model = NetworkCountry
    extra = 1
    autocomplete_fields = ["country"]
    show_change_link = True


# The network pages take networks/directory/ before networks/<slug>/.
RESERVED_NETWORK_SLUGS = {"directory"}


class NetworkAdminForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "slug", "purpose", "is_listed", "requires_review", "default_attribution"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_NETWORK_SLUGS:
            raise forms.ValidationError(_("This address is taken by a page of the site."))
        return slug


@admin.register(Network)
class NetworkAdmin(AuditedModelAdmin):
    form = NetworkAdminForm
    list_display = ["name", "slug", "is_listed", "requires_review", "default_attribution"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NetworkCountryInline]


class FocalPointInline(admin.TabularInline):
    model = FocalPoint
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(NetworkCountry)
class NetworkCountryAdmin(AuditedModelAdmin):
    list_display = ["network", "country", "is_active", "joined_on"]
    list_filter = ["network", "is_active"]
    search_fields = ["network__name", "country__name"]
    autocomplete_fields = ["network", "country"]
    inlines = [FocalPointInline]


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ["user", "network", "role", "state", "created_at"]
    list_filter = ["network", "role", "state"]
    search_fields = ["user__email", "user__full_name", "network__name"]
    autocomplete_fields = ["user", "network"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(AuditedModelAdmin):
    list_display = ["name", "network", "is_archived", "created_at"]
    list_filter = ["network", "is_archived"]
    search_fields = ["name", "network__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["network", "members"]


@admin.register(Invitation)
class InvitationAdmin(AuditedModelAdmin):
    """Invitations are sent by convenors (the link is emailed once and never stored); here they
    can be read, extended or withdrawn."""

    list_display = ["email", "network", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["network", "role"]
    search_fields = ["email", "network__name"]
    fields = [
        "email",
        "network",
        "role",
        "country",
        "invited_by",
        "token_digest",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    readonly_fields = [
        "email",
        "network",
        "country",
        "invited_by",
        "token_digest",
        "created_at",
        "accepted_at",
        "accepted_by",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(JoinRequest)
class JoinRequestAdmin(AuditedModelAdmin):
    """Join requests are decided in the network's pages, where deciding also lets the official
    in and tells them; here they can be read."""

    list_display = ["user", "network", "state", "created_at", "decided_by", "decided_at"]
    list_filter = ["network", "state"]
    search_fields = ["user__email", "user__full_name", "network__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Append-only: readable by platform admins, never added, changed or deleted here."""

    list_display = ["created_at", "actor", "action", "network", "target_label", "ip_address"]
    list_filter = ["action", "network"]
    search_fields = ["action", "target_label", "actor__email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "country", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "country"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["country"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "job_title", "organisation", "country"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]

    actions = ["erase_officials"]

    def has_erase_permission(self, request):
        return request.user.is_superuser

    @admin.action(
        permissions=["erase"], description=_("Erase the selected officials’ personal data")
    )
    def erase_officials(self, request, queryset):
        """Erase, after a confirmation page: personal data goes, contributions stay, shown as by
        "a former member" (networks.account_services.official_erase)."""
        officials = list(queryset.exclude(pk=request.user.pk))
        if request.POST.get("post") == "yes" and officials:
            for official in officials:
                account_services.official_erase(acting_user=request.user, official=official)
            self.message_user(
                request,
                ngettext(
                    "%(count)d official erased.", "%(count)d officials erased.", len(officials)
                )
                % {"count": len(officials)},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase officials’ personal data"),
            "officials": officials,
            "excluded_self": queryset.filter(pk=request.user.pk).exists(),
            "queryset": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action_name": "erase_officials",
        }
        return TemplateResponse(request, "admin/networks/user/erase_confirmation.html", context)


@admin.register(AccessDenial)
class AccessDenialAdmin(admin.ModelAdmin):
    """Refused pages of signed-in officials: filter by official to see probing."""

    list_display = ["created_at", "user", "status", "method", "path", "ip_address"]
    list_filter = ["status", ("user", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__email", "path"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
