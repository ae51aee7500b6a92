import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import proposals, services
from .cache import TAXONOMY, action_scope, audience, cached, public_page
from .forms import ActionForm, ContactFormSet, ImageUploadForm, LinkFormSet, MakerFormSet, formset_rows, maker_rows
from .limits import LimitReached
from .makers import MakerError, makers_save, public_makers
from .models import Action, Revision, Transition
from .permissions import (
    EDITABLE_STATES, SUBMITTABLE_STATES, EditRight, action_edit_right, can_create_action, can_edit_action,
    can_view_action, user_organisations,
)


def accessibility(request):
    return render(request, "arena/accessibility.html")


def privacy(request):
    return render(request, "arena/privacy.html")


# ---------------------------------------------------------------------------
# Development actions: the public page, writing, preview and "My actions".
# ---------------------------------------------------------------------------

Status = Action.Status
PUBLIC_STATES = (Status.PUBLISHED, Status.HIDDEN)


ACTION_PAGE_PREFETCH = ("sectors", "themes", "partners", "images", "links", "contacts", "makers")


def _get_viewable(request, pk) -> Action:
    """The action if the user may see it; otherwise it does not exist (404). What only its page
    shows (images, contacts…) is read by `_action_content` when it renders."""
    action = get_object_or_404(Action.objects.select_related("organisation").defer("search_vector"), pk=pk)
    if not can_view_action(request.user, action):
        raise Http404
    return action


def _get_editable(request, pk) -> Action:
    """404 when the user may not see the action, 403 when they may see it but not edit it."""
    action = _get_viewable(request, pk)
    if not can_edit_action(request.user, action):
        raise PermissionDenied
    return action


def _organisation_url(organisation):
    if organisation is None:
        return ""
    try:
        return organisation.get_absolute_url()
    except NoReverseMatch:  # the organisation pages are not there yet
        return ""


def _action_content(request, action, *, preview: bool, can_edit: bool) -> dict:
    """The action's own page without its per-visitor parts (`head` tags and `body`), rendered once per
    language, audience (staff also see the contacts without consent) and edit right, and kept under
    the action's scope while it is published; previews and other states are rendered each time."""
    is_public = action.status == Status.PUBLISHED and not preview

    def render():
        prefetch_related_objects([action], *ACTION_PAGE_PREFETCH)
        images = list(action.images.all())
        cover = next((image for image in images if image.is_cover), images[0] if images else None)
        if cover is not None:  # the cover first, then the others in the order the author gave
            images = [cover] + [image for image in images if image is not cover]
        show_all_contacts = request.user.is_staff and not preview
        context = {
            "action": action,
            "images": images,
            "cover": cover,
            "contacts": [c for c in action.contacts.all() if c.public or show_all_contacts],
            "makers": public_makers(action.makers.all()),  # only confirmed names
            "preview": preview,
            "is_public": is_public,
            "can_edit": can_edit,
            "organisation_url": _organisation_url(action.organisation),
            "SITE_URL": settings.SITE_URL,
        }
        return {"head": render_to_string("arena/includes/action_head.html", context),
                "body": render_to_string("arena/includes/action_body.html", context)}

    if not is_public:
        content = render()
    else:
        content = cached(f"arena:action-page:{action.pk}:{get_language()}:{audience(request)}:{int(can_edit)}",
                         render, scopes=[action_scope(action.pk), TAXONOMY])
    return {name: mark_safe(html) for name, html in content.items()}  # noqa: S308 (our templates)


def _render_action_page(request, action, *, preview=False):
    can_edit = can_edit_action(request.user, action)
    return render(request, "arena/action_detail.html", {
        "action": action,
        "content": _action_content(request, action, preview=preview, can_edit=can_edit),
        "preview": preview,
        "is_public": action.status == Status.PUBLISHED and not preview,
        "can_edit": can_edit,
    })


@public_page(lambda request, pk, slug: [action_scope(pk), TAXONOMY])
def action_detail(request, pk, slug):
    action = _get_viewable(request, pk)
    if slug != action.slug:
        return redirect(action, permanent=action.status == Status.PUBLISHED)
    return _render_action_page(request, action)


@login_required
def action_preview(request, pk):
    action = _get_editable(request, pk)
    return _render_action_page(request, action, preview=True)


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request):
    if not can_create_action(request.user):
        return render(request, "arena/action_join_first.html")
    return _action_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    return _action_form(request, _get_editable(request, pk))


IMAGE_OPERATIONS = ("image-up", "image-down", "image-cover", "image-remove")


def _intent(post) -> str:
    for name in IMAGE_OPERATIONS:
        if name in post:
            return name
    intent = post.get("intent", "draft")
    return intent if intent in ("draft", "preview", "submit", "image-add") else "draft"


def _form_key(request, action) -> uuid.UUID | None:
    """The "new action" form's one-time key: new on GET, the posted one on POST (None when editing)."""
    if action is not None:
        return None
    if request.method != "POST":
        return uuid.uuid4()
    try:
        return uuid.UUID(request.POST.get("form_key", ""))
    except ValueError:
        return None


def _proposal_forms(instance, user, pending):
    """The edit form filled with the user's pending proposal (the live action where it proposes nothing)."""
    initial, contact_rows, link_rows = proposals.proposal_form_initial(pending)
    form = ActionForm(instance=instance, user=user, initial=initial)
    contacts = ContactFormSet(instance=instance, prefix="contacts")
    links = LinkFormSet(instance=instance, prefix="links")
    for formset, rows in ((contacts, contact_rows), (links, link_rows)):
        if rows is not None:  # its proposed rows, as new ones
            formset.queryset = formset.model.objects.none()
            formset.initial_extra = rows
            formset.extra = len(rows) + 1
    return form, contacts, links


def _action_form(request, action):
    user = request.user
    instance = action or Action(author=user)
    proposing = action is not None and action_edit_right(user, action) == EditRight.PROPOSE
    existing_images = list(instance.images.all()) if action else []
    form_key = _form_key(request, action)
    if request.method != "POST":
        pending = proposals.proposal_pending(action=action, user=user) if proposing else None
        if pending is not None:
            form, contacts, links = _proposal_forms(instance, user, pending)
        else:
            form = ActionForm(instance=instance, user=user)
            contacts = ContactFormSet(instance=instance, prefix="contacts")
            links = LinkFormSet(instance=instance, prefix="links")
        image_form = ImageUploadForm(prefix="new_image", existing_count=len(existing_images))
        # A proposal changes the text only: its proposer gets no makers' rows (their links mail people).
        makers = None if proposing else MakerFormSet(instance=instance, prefix="makers")
        return _render_form(request, action, form, image_form, contacts, links, existing_images, form_key=form_key,
                            makers=makers, proposing=proposing)

    intent = "draft" if proposing else _intent(request.POST)  # a proposal changes the text only
    strict = intent == "submit" or instance.status not in SUBMITTABLE_STATES
    form = ActionForm(request.POST, instance=instance, user=user, strict=strict)
    image_form = ImageUploadForm(None if proposing else request.POST, None if proposing else request.FILES,
                                 prefix="new_image", existing_count=len(existing_images),
                                 required=intent == "image-add")
    contacts = ContactFormSet(request.POST, instance=instance, prefix="contacts")
    links = LinkFormSet(request.POST, instance=instance, prefix="links")
    # A form posted without the makers' rows (an older page, a script, a proposal) leaves the makers as they are.
    makers_posted = not proposing and "makers-TOTAL_FORMS" in request.POST
    makers = None if proposing else MakerFormSet(request.POST if makers_posted else None, instance=instance,
                                                 prefix="makers")
    alts_valid = proposing or _read_image_alts(request.POST, existing_images)
    if not all([form.is_valid(), proposing or image_form.is_valid(), contacts.is_valid(), links.is_valid(),
                not makers_posted or makers.is_valid(), alts_valid]):
        messages.error(request, _("The action was not saved. Please correct the errors marked below."))
        return _render_form(request, action, form, image_form, contacts, links, existing_images, form_key=form_key,
                            makers=makers, proposing=proposing)
    if proposing:
        return _propose(request, action, form, image_form, contacts, links, existing_images)

    # One transaction for everything the form asks: a new action is saved whole (text, image,
    # submission) or not at all, and the image files written go again if it rolls back.
    try:
        with services.atomic_with_files():
            saved = _save_action(request, action, form, contacts, links, existing_images, form_key)
            if makers_posted:
                makers_save(action=saved, user=user, rows=maker_rows(makers), now=timezone.now())
            if image_form.processed:
                services.action_image_add(action=saved, user=user, processed=image_form.processed,
                                          alt_text=image_form.cleaned_data["alt_text"])
            if intent in IMAGE_OPERATIONS:
                _apply_image_operation(request, saved, intent, existing_images)
            if intent == "submit":
                return _submit(request, saved)
    except services.AlreadyCreated as replay:
        return _already_created(request, replay.action)
    except (services.ModerationError, MakerError) as error:
        messages.error(request, str(error))
        return _render_form(request, action, form, image_form, contacts, links, existing_images, form_key=form_key,
                            makers=makers)
    except LimitReached as error:  # nothing saved; the form is shown again with everything typed
        messages.error(request, str(error))
        return _render_form(request, action, form, image_form, contacts, links, existing_images, status=429,
                            form_key=form_key, makers=makers)

    action = saved
    if intent == "preview":
        return redirect("arena:action-preview", pk=action.pk)
    edit_url = reverse("arena:action-edit", kwargs={"pk": action.pk})
    if intent.startswith("image"):
        return redirect(edit_url + "#images")
    if action.status in SUBMITTABLE_STATES:
        messages.success(request, _("The draft was saved."))
    else:
        messages.success(request, _("The changes were saved."))
    return redirect(edit_url)


def _propose(request, action, form, image_form, contacts, links, existing_images):
    """A member who may not edit the public action live: their change waits for a moderator."""
    try:
        pending = proposals.action_propose_edit(
            action=action, user=request.user, data=form.cleaned_data,
            contacts=formset_rows(contacts, services.CONTACT_FIELDS), links=formset_rows(links, services.LINK_FIELDS))
    except services.ModerationError as error:
        messages.error(request, str(error))
        return _render_form(request, action, form, image_form, contacts, links, existing_images, proposing=True)
    if pending is None:
        messages.info(request, _("Nothing differs from the published version, so nothing waits for moderation."))
    else:
        messages.success(request, _("Your changes were sent for moderation. The published version stays on the "
                                    "public page until a moderator approves them."))
    return redirect("arena:action-edit", pk=action.pk)


def _already_created(request, action):
    """The same "new action" form again (a replay, a double click, a retry after a lost answer):
    nothing is saved twice; the user goes where the first sending took them."""
    if action.status == Status.SUBMITTED:
        messages.info(request, _("The action is already waiting for moderation."))
        return redirect("arena:my-actions")
    messages.info(request, _(
        "This form had already been sent: the action was saved then, and nothing was saved twice."))
    if can_edit_action(request.user, action):
        return redirect("arena:action-edit", pk=action.pk)
    return redirect("arena:my-actions")


def _save_action(request, action, form, contacts, links, existing_images, form_key=None):
    data = form.cleaned_data
    contact_rows = formset_rows(contacts, services.CONTACT_FIELDS)
    link_rows = formset_rows(links, services.LINK_FIELDS)
    if action is None:
        return services.action_create(user=request.user, data=data, contacts=contact_rows, links=link_rows,
                                      form_key=form_key)
    action = services.action_update(action=action, user=request.user, data=data, contacts=contact_rows,
                                    links=link_rows)
    for image in existing_images:
        services.action_image_update_alt(image=image, user=request.user, alt_text=image.alt_value)
    return action


def _read_image_alts(post, existing_images) -> bool:
    """Take the alternative texts typed for the images already uploaded; each is required."""
    valid = True
    for image in existing_images:
        image.alt_value = post.get(f"alt-{image.pk}", image.alt_text).strip()
        if not image.alt_value:
            image.alt_error = _("Write an alternative text for the image.")
            valid = False
    return valid


def _apply_image_operation(request, action, intent, existing_images):
    try:
        image = next(i for i in existing_images if str(i.pk) == request.POST.get(intent))
    except StopIteration:
        return  # already removed, e.g. by a second click
    if intent == "image-remove":
        services.action_image_remove(image=image, user=request.user)
        messages.success(request, _("The image was removed."))
    elif intent == "image-cover":
        services.action_image_set_cover(image=image, user=request.user)
        messages.success(request, _("The cover image was changed."))
    else:
        services.action_image_move(image=image, user=request.user, offset=-1 if intent == "image-up" else 1)
        messages.success(request, _("The order of the images was changed."))


def _submit(request, action):
    """Send for moderation. A second submission (a double click) changes nothing and shows the state."""
    try:
        services.action_submit(action=action, user=request.user)
    except services.ModerationError as error:
        action.refresh_from_db(fields=["status"])
        if action.status != Status.SUBMITTED:
            messages.error(request, str(error))
            return redirect("arena:action-edit", pk=action.pk)
        messages.info(request, _("The action is already waiting for moderation."))
        return redirect("arena:my-actions")
    messages.success(request, _("Thank you! The action was sent for moderation. We will e-mail you when it has "
                                "been reviewed."))
    return redirect("arena:my-actions")


def _render_form(request, action, form, image_form, contacts, links, images, status=200, form_key=None,
                 makers=None, proposing=False):
    context = {
        "makers": makers,
        "proposing": proposing,
        "pending_proposal": proposals.proposal_pending(action=action, user=request.user) if proposing else None,
        "rejected_proposal": (proposals.proposal_latest_rejected(action=action, user=request.user)
                              if proposing else None),
        "form_key": form_key,
        "action": action,
        "form": form,
        "image_form": image_form,
        "contacts": contacts,
        "links": links,
        "images": images,
        "max_images": settings.ACTION_MAX_IMAGES,
        "can_submit": action is None or action.status in SUBMITTABLE_STATES,
        "state_message": _state_message(action) if action else "",
    }
    return render(request, "arena/action_form.html", context, status=status)


def _state_message(action) -> str:
    """The moderator's latest message when the action was returned, rejected or hidden."""
    if action.status not in (Status.RETURNED, Status.REJECTED, Status.HIDDEN):
        return ""
    latest = action.transitions.filter(to_status=action.status).first()
    return latest.message if latest else ""


@login_required
def my_actions(request):
    user = request.user
    organisations = user_organisations(user).values("pk")
    proposed = Revision.objects.filter(action=OuterRef("pk"), editor=user, state=Revision.State.PENDING)
    actions = list(
        Action.objects.annotate(has_pending_proposal=Exists(proposed)).filter(
            Q(author=user)
            | Q(organisation__in=organisations, status__in=[Status.DRAFT, Status.SUBMITTED, Status.RETURNED])
            | Q(has_pending_proposal=True)
        )
        .select_related("organisation", "author")
        .prefetch_related(Prefetch(
            "transitions",
            queryset=Transition.objects.filter(to_status__in=[Status.RETURNED, Status.REJECTED, Status.HIDDEN]),
            to_attr="messages_from_moderators",
        ))
        .order_by("-updated_at", "-pk")
    )
    for action in actions:
        action.can_edit = action.status in EDITABLE_STATES
        action.state_message = next(
            (t.message for t in action.messages_from_moderators if t.to_status == action.status), ""
        )
    return render(request, "arena/action_my_list.html", {
        "actions": actions, "can_create": can_create_action(user),
    })
