from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from networks.models import Country, GovernmentDomain, Network, NetworkCountry, User


class GovernmentDomainInline(admin.TabularInline):
    model = GovernmentDomain
    extra = 1


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code", "domains__domain"]
    inlines = [GovernmentDomainInline]


class NetworkCountryInline(admin.TabularInline):
    model = NetworkCountry
    extra = 1
    autocomplete_fields = ["country"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_listed", "requires_review", "default_attribution"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NetworkCountryInline]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
