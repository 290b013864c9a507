using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExpenseTracker.Web.Data.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("OutboxMessages");
        builder.Property(o => o.Key).HasMaxLength(300);
        builder.Property(o => o.Rule).HasMaxLength(60);
        builder.Property(o => o.Title).HasMaxLength(200);
        builder.Property(o => o.Link).HasMaxLength(300);
        builder.HasIndex(o => o.Key).IsUnique();
        builder.HasIndex(o => new { o.Status, o.NextAttemptAt });
        builder.HasOne<Household>().WithMany().HasForeignKey(o => o.HouseholdId);
        builder.HasOne<Member>().WithMany().HasForeignKey(o => o.MemberId);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.Property(n => n.Key).HasMaxLength(300);
        builder.Property(n => n.Rule).HasMaxLength(60);
        builder.Property(n => n.Title).HasMaxLength(200);
        builder.Property(n => n.Link).HasMaxLength(300);
        builder.HasIndex(n => new { n.MemberId, n.Key }).IsUnique();
        builder.HasIndex(n => new { n.HouseholdId, n.MemberId, n.ReadAt, n.CreatedAt });
        builder.HasOne<Household>().WithMany().HasForeignKey(n => n.HouseholdId);
        builder.HasOne<Member>().WithMany().HasForeignKey(n => n.MemberId);
    }
}

internal sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> builder)
    {
        builder.HasIndex(p => new { p.MemberId, p.Type, p.Channel }).IsUnique();
        builder.HasIndex(p => p.HouseholdId);
        builder.HasOne<Household>().WithMany().HasForeignKey(p => p.HouseholdId);
        builder.HasOne<Member>().WithMany().HasForeignKey(p => p.MemberId);
    }
}

internal sealed class MemberNotificationSettingsConfiguration : IEntityTypeConfiguration<MemberNotificationSettings>
{
    public void Configure(EntityTypeBuilder<MemberNotificationSettings> builder)
    {
        builder.HasKey(s => s.MemberId);
        builder.Property(s => s.MemberId).ValueGeneratedNever();
        builder.Property(s => s.TimeZoneId).HasMaxLength(64);
        builder.HasIndex(s => s.HouseholdId);
        builder.HasOne<Household>().WithMany().HasForeignKey(s => s.HouseholdId);
        builder.HasOne<Member>().WithOne().HasForeignKey<MemberNotificationSettings>(s => s.MemberId);
    }
}

internal sealed class PushSubscriptionConfiguration : IEntityTypeConfiguration<PushSubscription>
{
    public void Configure(EntityTypeBuilder<PushSubscription> builder)
    {
        builder.Property(p => p.Endpoint).HasMaxLength(1000);
        builder.Property(p => p.P256dh).HasMaxLength(200);
        builder.Property(p => p.Auth).HasMaxLength(100);
        builder.HasIndex(p => new { p.MemberId, p.Endpoint }).IsUnique();
        builder.HasIndex(p => p.HouseholdId);
        builder.HasOne<Household>().WithMany().HasForeignKey(p => p.HouseholdId);
        builder.HasOne<Member>().WithMany().HasForeignKey(p => p.MemberId);
    }
}

internal sealed class JobCheckpointConfiguration : IEntityTypeConfiguration<JobCheckpoint>
{
    public void Configure(EntityTypeBuilder<JobCheckpoint> builder)
    {
        builder.HasKey(c => c.Name);
        builder.Property(c => c.Name).HasMaxLength(100);
    }
}
