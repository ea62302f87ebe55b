import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

MODERATE_PERMISSION = "accounts.moderate_messages"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, username: str):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in: buyers, seller staff and moderators. The email is the login."""

    email = models.EmailField("email address", unique=True)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150, blank=True)
    # A business buyer: the company name is shown on its orders; messaging is the same.
    company_name = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, blank=True, default="")
    # "Don't send me unsolicited messages from sellers": read by the sending rules.
    unsolicited_opt_out = models.BooleanField(default=False)
    is_staff = models.BooleanField(default=False, help_text="May log into the admin site.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name"]

    class Meta:
        permissions = [("moderate_messages", "Can review held messages and enforce messaging rules")]
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def is_business(self) -> bool:
        return bool(self.company_name)


class SellerAccount(models.Model):
    """A shop on the marketplace. Several staff users share its inbox."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    members = models.ManyToManyField(User, through="SellerMembership", related_name="seller_accounts")
    # Messaging standing, read by the sending rules and changed by moderation (through
    # accounts.services.change_messaging_standing, which keeps the history).
    messaging_restricted_until = models.DateTimeField(null=True, blank=True)
    messaging_suspended_at = models.DateTimeField(null=True, blank=True)
    messaging_standing_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def messaging_standing(self, now=None) -> str:
        """ "suspended", "restricted" (everything it sends is reviewed first) or "good"."""
        now = now or timezone.now()
        if self.messaging_suspended_at:
            return MessagingStanding.SUSPENDED
        if self.messaging_restricted_until and self.messaging_restricted_until > now:
            return MessagingStanding.RESTRICTED
        return MessagingStanding.GOOD


class MessagingStanding(models.TextChoices):
    GOOD = "good", "In good standing"
    RESTRICTED = "restricted", "Restricted: messages are reviewed before delivery"
    SUSPENDED = "suspended", "Suspended: messaging is turned off"


class MessagingStandingChange(models.Model):
    """Every change of a seller's messaging standing: who, when, why, until when."""

    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="standing_changes")
    from_standing = models.CharField(max_length=16, choices=MessagingStanding.choices)
    to_standing = models.CharField(max_length=16, choices=MessagingStanding.choices)
    until = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300)
    # Null when the rules changed it (strike thresholds).
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.seller}: {self.from_standing} -> {self.to_standing}"


class SellerMembership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        STAFF = "staff", "Staff"

    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="seller_memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["seller", "user"], name="accounts_one_membership")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.seller}"


class SellerOptOut(models.Model):
    """A buyer's opt-out from one seller's unsolicited messages (the global switch is on User)."""

    buyer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="seller_opt_outs")
    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["buyer", "seller"], name="accounts_one_opt_out")]

    def __str__(self) -> str:
        return f"{self.buyer_id} opted out of {self.seller_id}"
