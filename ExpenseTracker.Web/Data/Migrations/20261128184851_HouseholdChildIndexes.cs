using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExpenseTracker.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class HouseholdChildIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TransactionTags_HouseholdId_TagId",
                table: "TransactionTags");

            migrationBuilder.DropIndex(
                name: "IX_TransactionTags_TagId",
                table: "TransactionTags");

            migrationBuilder.DropIndex(
                name: "IX_TransactionLines_CategoryId",
                table: "TransactionLines");

            migrationBuilder.DropIndex(
                name: "IX_TransactionLines_HouseholdId_CategoryId",
                table: "TransactionLines");

            migrationBuilder.DropIndex(
                name: "IX_MemberShares_HouseholdId_MemberId",
                table: "MemberShares");

            migrationBuilder.DropIndex(
                name: "IX_MemberShares_MemberId",
                table: "MemberShares");

            migrationBuilder.CreateIndex(
                name: "IX_TransactionTags_TagId_HouseholdId",
                table: "TransactionTags",
                columns: new[] { "TagId", "HouseholdId" });

            migrationBuilder.CreateIndex(
                name: "IX_TransactionLines_CategoryId_HouseholdId",
                table: "TransactionLines",
                columns: new[] { "CategoryId", "HouseholdId" });

            migrationBuilder.CreateIndex(
                name: "IX_MemberShares_MemberId_HouseholdId",
                table: "MemberShares",
                columns: new[] { "MemberId", "HouseholdId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TransactionTags_TagId_HouseholdId",
                table: "TransactionTags");

            migrationBuilder.DropIndex(
                name: "IX_TransactionLines_CategoryId_HouseholdId",
                table: "TransactionLines");

            migrationBuilder.DropIndex(
                name: "IX_MemberShares_MemberId_HouseholdId",
                table: "MemberShares");

            migrationBuilder.CreateIndex(
                name: "IX_TransactionTags_HouseholdId_TagId",
                table: "TransactionTags",
                columns: new[] { "HouseholdId", "TagId" });

            migrationBuilder.CreateIndex(
                name: "IX_TransactionTags_TagId",
                table: "TransactionTags",
                column: "TagId");

            migrationBuilder.CreateIndex(
                name: "IX_TransactionLines_CategoryId",
                table: "TransactionLines",
                column: "CategoryId");

            migrationBuilder.CreateIndex(
                name: "IX_TransactionLines_HouseholdId_CategoryId",
                table: "TransactionLines",
                columns: new[] { "HouseholdId", "CategoryId" });

            migrationBuilder.CreateIndex(
                name: "IX_MemberShares_HouseholdId_MemberId",
                table: "MemberShares",
                columns: new[] { "HouseholdId", "MemberId" });

            migrationBuilder.CreateIndex(
                name: "IX_MemberShares_MemberId",
                table: "MemberShares",
                column: "MemberId");
        }
    }
}
