using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExpenseTracker.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class PrivateIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Transactions_Private",
                table: "Transactions",
                columns: new[] { "HouseholdId", "Date", "Kind", "AmountMinor", "CreatedByMemberId" },
                filter: "\"IsPrivate\" AND \"DeletedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Transactions_Private",
                table: "Transactions");
        }
    }
}
