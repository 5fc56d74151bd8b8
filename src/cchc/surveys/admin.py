"""Questionnaires in the admin: read only. Every change goes through the services, which check the
role, refuse frozen versions and keep the official SIPAS sections intact."""

from __future__ import annotations

from django.contrib import admin

from .models import Questionnaire, Section


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SectionInline(ReadOnlyMixin, admin.TabularInline):
    model = Section
    fields = ["order", "code", "title", "official", "show_when"]
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "version", "title", "owner_unit", "is_builtin", "frozen_at"]
    list_filter = ["is_builtin"]
    search_fields = ["code", "title"]
    inlines = [SectionInline]
